package com.quanyi.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Valid samples of an OpenAPI schema, and the malformed values a careless or hostile client sends
 * in their place: the wrong type, empty, huge, unicode where an id is expected, negative, an
 * unknown enum, a cursor nobody handed out.
 */
public final class MalformedValues {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String UNICODE = "卡密✓ü";
  /**
   * Longer than any field or parameter accepts, yet within what the server reads whole (URI 16 KiB,
   * test body 64 KiB): past those limits the server answers before reading the rest and closes,
   * and the client may see its connection reset instead of the answer (a race no route can win).
   */
  private static final String HUGE = "x".repeat(10_000);

  /**
   * A value sent instead of a valid one. {@code value} null: the field left out. {@code certain}:
   * no reading of the schema allows it, so the API must refuse it (otherwise it must only not fail).
   */
  public record Case(String what, JsonNode value, boolean certain) {}

  private MalformedValues() {}

  /** A valid instance of {@code schema}; {@code known} supplies values by field name (real ids, versions). */
  public static JsonNode sample(JsonNode schema, String field, Map<String, JsonNode> known) {
    if (known.containsKey(field)) {
      return known.get(field);
    }
    return switch (schema.path("type").asText("object")) {
      case "string" -> JSON.textNode(sampleText(schema));
      case "integer" -> JSON.numberNode(Math.min(Math.max(schema.path("minimum").asLong(1), 1),
          schema.path("maximum").asLong(Long.MAX_VALUE)));
      case "boolean" -> JSON.booleanNode(false);
      case "array" -> JSON.arrayNode().add(sample(schema.path("items"), field, known));
      default -> {
        ObjectNode object = JSON.objectNode();
        for (JsonNode name : schema.path("required")) {
          object.set(name.asText(), sample(schema.path("properties").path(name.asText()), name.asText(), known));
        }
        yield object;
      }
    };
  }

  private static String sampleText(JsonNode schema) {
    if (schema.has("enum")) {
      return schema.get("enum").get(0).asText();
    }
    switch (schema.path("format").asText()) {
      case "uri":
        return "http://127.0.0.1:9/probe";
      case "date-time":
        return Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
      case "date":
        return LocalDate.now().toString();
      default:
        break;
    }
    for (String candidate : List.of("probe-" + Long.toHexString(System.nanoTime()), "PROBE_REASON", "CNY")) {
      if (matches(schema, candidate)) {
        return candidate.repeat(Math.max(1, schema.path("minLength").asInt(0) / candidate.length() + 1));
      }
    }
    throw new IllegalArgumentException("no sample for " + schema);
  }

  /** A request body sent in place of a valid one; every one of them must be refused. */
  public record Body(String what, byte[] bytes) {}

  /** Every body that differs from {@code base} in exactly one field made wrong, and bodies that are no JSON object. */
  public static List<Body> bodies(JsonNode schema, JsonNode base) {
    List<Body> bodies = new ArrayList<>();
    for (String text : List.of("", "null", "[]", "\"text\"", "42", "{", "{\"a\":", "[".repeat(100) + "]".repeat(100))) {
      bodies.add(new Body("the body " + abbreviate(text), text.getBytes(StandardCharsets.UTF_8)));
    }
    List<Case> cases = new ArrayList<>();
    fields(schema, base, "", base, cases);
    cases.forEach(c -> bodies.add(new Body(c.what(), c.value().toString().getBytes(StandardCharsets.UTF_8))));
    return bodies;
  }

  private static void fields(JsonNode schema, JsonNode at, String path, JsonNode root, List<Case> cases) {
    if (schema.path("type").asText("object").equals("object") && at.isObject()) {
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
      while (properties.hasNext()) {
        Map.Entry<String, JsonNode> property = properties.next();
        String name = property.getKey();
        String where = path.isEmpty() ? name : path + "." + name;
        if (required.contains(name)) {
          cases.add(new Case(where + " left out", replaced(root, at, name, null), true));
        }
        for (Case wrong : invalid(property.getValue())) {
          cases.add(new Case(where + ": " + wrong.what(), replaced(root, at, name, wrong.value()), true));
        }
        if (at.has(name)) {
          fields(property.getValue(), at.get(name), where, root, cases);
        }
      }
    } else if (schema.path("type").asText().equals("array") && at.isArray() && at.size() > 0) {
      fields(schema.path("items"), at.get(0), path + "[0]", root, cases);
    }
  }

  /** A copy of {@code root} in which {@code parent}'s {@code name} is {@code value} (left out when null). */
  private static JsonNode replaced(JsonNode root, JsonNode parent, String name, JsonNode value) {
    ObjectNode original = (ObjectNode) parent;
    JsonNode kept = original.get(name);
    if (value == null) {
      original.remove(name);
    } else {
      original.set(name, value);
    }
    JsonNode copy = root.deepCopy();
    if (kept == null) {
      original.remove(name);
    } else {
      original.set(name, kept);
    }
    return copy;
  }

  /** JSON values no reading of {@code schema} allows. */
  public static List<Case> invalid(JsonNode schema) {
    List<Case> cases = new ArrayList<>();
    String type = schema.path("type").asText("object");
    switch (type) {
      case "string" -> {
        cases.add(new Case("a number", JSON.numberNode(42), true));
        cases.add(new Case("an object", JSON.objectNode(), true));
        for (Case text : invalidText(schema, "")) {
          if (text.certain()) {
            cases.add(text);
          }
        }
      }
      case "integer" -> {
        cases.add(new Case("a string", JSON.textNode("12"), true));
        cases.add(new Case("a fraction", JSON.numberNode(1.5), true));
        cases.add(new Case("beyond 64 bits", JSON.numberNode(new BigInteger("99999999999999999999999")), true));
        cases.add(new Case("true", JSON.booleanNode(true), true));
        if (schema.has("minimum")) {
          cases.add(new Case("below its minimum", JSON.numberNode(schema.get("minimum").asLong() - 1), true));
        }
        if (schema.has("maximum")) {
          cases.add(new Case("above its maximum", JSON.numberNode(schema.get("maximum").asLong() + 1), true));
        }
      }
      case "boolean" -> {
        cases.add(new Case("a string", JSON.textNode("yes"), true));
        cases.add(new Case("a number", JSON.numberNode(1), true));
      }
      case "array" -> {
        cases.add(new Case("a string", JSON.textNode("x"), true));
        cases.add(new Case("an object", JSON.objectNode(), true));
        ArrayNode wrongItem = JSON.arrayNode();
        invalid(schema.path("items")).stream().findFirst().ifPresent(c -> wrongItem.add(c.value()));
        if (!wrongItem.isEmpty()) {
          cases.add(new Case("an item that is wrong", wrongItem, true));
        }
      }
      default -> {
        cases.add(new Case("a string", JSON.textNode("x"), true));
        cases.add(new Case("an array", JSON.arrayNode(), true));
        cases.add(new Case("a number", JSON.numberNode(-1), true));
      }
    }
    return cases;
  }

  /**
   * Texts for a path or query parameter of {@code schema} named {@code name}, each marked certain
   * when the schema forbids it.
   */
  public static List<Case> invalidText(JsonNode schema, String name) {
    List<Case> cases = new ArrayList<>();
    String type = schema.path("type").asText("string");
    if (name.equals("after")) {
      for (String cursor : List.of("not-a-cursor", encoded("x|y|z"), encoded("2026-11-01|abc|"), encoded("9:x"), "%%",
          UNICODE)) {
        cases.add(text("a cursor nobody handed out: " + cursor, cursor, true));
      }
      // Well formed for one listing (an account statement's), garbage for the others.
      cases.add(text("another listing's cursor", encoded("1:2"), false));
      return cases;
    }
    switch (type) {
      case "integer" -> {
        cases.add(text("not a number", "abc", true));
        cases.add(text("a fraction", "1.5", true));
        cases.add(text("beyond 64 bits", "99999999999999999999999", true));
        cases.add(text("empty", "", true));
        cases.add(text("negative", "-1", schema.path("minimum").asLong(-1) >= 0));
      }
      case "boolean" -> {
        cases.add(text("not a boolean", "maybe", true));
        cases.add(text("empty", "", true));
      }
      default -> {
        cases.add(text("empty", "", !matches(schema, "")));
        cases.add(text("unicode", UNICODE, !matches(schema, UNICODE)));
        cases.add(text("huge", HUGE, !matches(schema, HUGE)));
        cases.add(text("quotes and markup", "'\"<script>;--", !matches(schema, "'\"<script>;--")));
        if (schema.has("enum")) {
          cases.add(text("not one of its values", "NOT_A_CHOICE", true));
          cases.add(text("its first value in lower case", schema.get("enum").get(0).asText().toLowerCase() + "x", true));
        }
        if (schema.path("format").asText().equals("date")) {
          cases.add(text("no such day", "2026-13-45", true));
          cases.add(text("a word", "yesterday", true));
        }
        if (schema.path("format").asText().equals("date-time")) {
          cases.add(text("no such time", "2026-13-45T99:00:00Z", true));
        }
        if (schema.path("format").asText().equals("uri")) {
          cases.add(text("not a URI", "not a uri", true));
        }
        if (schema.has("maxLength")) {
          cases.add(text("one character too long", "x".repeat(schema.get("maxLength").asInt() + 1), true));
        }
      }
    }
    return cases;
  }

  private static Case text(String what, String value, boolean certain) {
    return new Case(what, JSON.textNode(value), certain);
  }

  /** Whether {@code value} could be an instance of the string schema, as far as its pattern, enum and lengths tell. */
  private static boolean matches(JsonNode schema, String value) {
    if (schema.has("enum")) {
      for (JsonNode allowed : schema.get("enum")) {
        if (allowed.asText().equals(value)) {
          return true;
        }
      }
      return false;
    }
    if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value).find()) {
      return false;
    }
    if (schema.has("maxLength") && value.length() > schema.get("maxLength").asInt()) {
      return false;
    }
    if (schema.has("minLength") && value.length() < schema.get("minLength").asInt()) {
      return false;
    }
    // Samples come from sampleText; every text tried here is none of a date, a time or a URI.
    String format = schema.path("format").asText();
    return !(format.equals("date") || format.equals("date-time") || format.equals("uri"));
  }

  private static String encoded(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String text) {
    return text.length() > 12 ? text.substring(0, 12) + "…" : "'" + text + "'";
  }
}
