package com.quanyi.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The operations an OpenAPI document lists, with their parameters and body schemas, every {@code $ref} resolved. */
public final class OpenApiOperations {

  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  public record Parameter(String name, String in, boolean required, JsonNode schema) {}

  /** What the body must be: its media type and schema (null schema: free text, such as a CSV). */
  public record Body(String mediaType, boolean required, JsonNode schema) {}

  /** {@code partner}: signed like a channel's request rather than carrying an admin token. */
  public record Operation(String method, String path, boolean partner, List<Parameter> parameters, Body body) {

    public List<Parameter> in(String where) {
      return parameters.stream().filter(p -> p.in().equals(where)).toList();
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private OpenApiOperations() {}

  public static List<Operation> read(String yaml) {
    JsonNode document;
    try {
      document = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      List<Parameter> shared = parameters(document, path.getValue().path("parameters"));
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> method = methods.next();
        if (!METHODS.contains(method.getKey())) {
          continue;
        }
        JsonNode operation = method.getValue();
        List<Parameter> all = new ArrayList<>(shared);
        all.addAll(parameters(document, operation.path("parameters")));
        boolean partner = operation.path("security").toString().contains("partnerKey");
        operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), partner, all,
            body(document, operation.path("requestBody"))));
      }
    }
    return operations;
  }

  private static List<Parameter> parameters(JsonNode document, JsonNode list) {
    List<Parameter> parameters = new ArrayList<>();
    for (JsonNode p : list) {
      JsonNode parameter = resolve(document, p);
      parameters.add(new Parameter(parameter.path("name").asText(), parameter.path("in").asText(),
          parameter.path("required").asBoolean(false), resolve(document, parameter.path("schema"))));
    }
    return parameters;
  }

  private static Body body(JsonNode document, JsonNode requestBody) {
    if (requestBody.isMissingNode()) {
      return null;
    }
    Map.Entry<String, JsonNode> content = requestBody.path("content").fields().next();
    JsonNode schema = content.getKey().equals("application/json")
        ? resolve(document, content.getValue().path("schema")) : null;
    return new Body(content.getKey(), requestBody.path("required").asBoolean(false), schema);
  }

  /** A copy of {@code node} with every {@code $ref} (to this document) replaced by what it names. */
  static JsonNode resolve(JsonNode document, JsonNode node) {
    if (node.isObject() && node.has("$ref")) {
      String[] at = node.get("$ref").asText().substring(2).split("/");
      JsonNode target = document;
      for (String step : at) {
        target = target.path(step);
      }
      return resolve(document, target);
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      node.fields().forEachRemaining(f -> copy.set(f.getKey(), resolve(document, f.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(item -> copy.add(resolve(document, item)));
      return copy;
    }
    return node;
  }
}
