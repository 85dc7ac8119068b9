package com.quanyi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The API's JSON: strict on input (no coercion of strings to numbers, no floats for integers,
 * no trailing tokens), ISO-8601 on output, nulls left out.
 */
public final class ApiJson {

  public static final ObjectMapper MAPPER = build();

  private ApiJson() {}

  private static ObjectMapper build() {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .addModule(new SimpleModule("iso-durations").addDeserializer(Duration.class, new IsoDuration()))
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).maxNumberLength(32).build());
    return mapper;
  }

  /**
   * Durations only as ISO-8601 text ("PT15M"): the default also takes a bare number as seconds,
   * which the contract never promised and a client would only send by mistake.
   */
  private static final class IsoDuration extends StdScalarDeserializer<Duration> {

    private static final long serialVersionUID = 1L;

    IsoDuration() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        return (Duration) context.handleUnexpectedToken(Duration.class, parser);
      }
      try {
        return Duration.parse(parser.getText());
      } catch (DateTimeParseException e) {
        return (Duration) context.handleWeirdStringValue(Duration.class, parser.getText(),
            "not an ISO-8601 duration such as PT15M");
      }
    }
  }

  /** Parses a request body, or throws {@link InvalidRequest} with a message that names the field. */
  public static <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new InvalidRequest("request body is required");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new InvalidRequest("request body must be a JSON object");
      }
      return value;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String reason = cause instanceof IllegalArgumentException || cause instanceof NullPointerException
          ? cause.getMessage() : "invalid value";
      throw new InvalidRequest(prefix(e) + reason);
    } catch (InvalidFormatException e) {
      Class<?> target = e.getTargetType();
      if (target != null && target.isEnum()) {
        String allowed = Arrays.stream(target.getEnumConstants()).map(Object::toString)
            .collect(Collectors.joining(", "));
        throw new InvalidRequest(prefix(e) + "must be one of " + allowed);
      }
      throw new InvalidRequest(prefix(e) + "has the wrong type or format");
    } catch (JsonMappingException e) {
      throw new InvalidRequest(prefix(e) + "has the wrong type or shape");
    } catch (JsonProcessingException e) {
      throw new InvalidRequest("malformed JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new InvalidRequest("unreadable request body");
    }
  }

  private static String prefix(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    return path.isEmpty() ? "" : path + ": ";
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write " + value.getClass().getSimpleName(), e);
    }
  }

  /** A request the API refuses with 400 INVALID_REQUEST; the message is shown to the caller. */
  public static final class InvalidRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidRequest(String message) {
      super(message, null, false, false);
    }
  }
}
