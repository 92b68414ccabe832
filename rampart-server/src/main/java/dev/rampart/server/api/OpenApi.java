package dev.rampart.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes the OpenAPI 3.1 document from the route table. */
final class OpenApi {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");

  private OpenApi() {}

  static Map<String, Object> document(List<Route> routes) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title", "Rampart API",
            "version", "1",
            "description",
                "Alerts, incidents, comments, exceptions and playbooks. Every request needs"
                    + " 'Authorization: Bearer TOKEN'. Errors are {\"error\": message, \"status\":"
                    + " code}."));
    doc.put(
        "components",
        Map.of(
            "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
            "schemas",
                Map.of(
                    "Error",
                    Map.of(
                        "type", "object",
                        "properties",
                            Map.of(
                                "error", Map.of("type", "string"),
                                "status", Map.of("type", "integer")),
                        "required", List.of("error", "status")))));
    doc.put("security", List.of(Map.of("bearer", List.of())));
    Map<String, Map<String, Object>> paths = new TreeMap<>();
    paths
        .computeIfAbsent("/api/openapi.json", k -> new LinkedHashMap<>())
        .put(
            "get",
            Map.of(
                "summary", "This document",
                "tags", List.of("api"),
                "responses", Map.of("200", Map.of("description", "the OpenAPI document"))));
    paths
        .computeIfAbsent("/api/login", k -> new LinkedHashMap<>())
        .put(
            "post",
            Map.of(
                "summary",
                    "Sign in with a name and password: sets an HttpOnly session cookie and returns"
                        + " the CSRF token every change must send as X-CSRF-Token (10 attempts a"
                        + " minute per address; 5 wrong passwords lock the account for 15 minutes)",
                "tags", List.of("access"),
                "security", List.of(),
                "x-permission", "none",
                "requestBody",
                    Map.of(
                        "required",
                        true,
                        "content",
                        Map.of(
                            "application/json",
                            Map.of(
                                "schema",
                                Map.of(
                                    "type", "object",
                                    "required", List.of("name", "password"),
                                    "properties",
                                        Map.of(
                                            "name", Map.of("type", "string"),
                                            "password", Map.of("type", "string")))))),
                "responses",
                    Map.of(
                        "200", Map.of("description", "signed in"),
                        "401", Map.of("description", "wrong name or password"),
                        "429", Map.of("description", "too many attempts"))));
    paths
        .computeIfAbsent("/api/logout", k -> new LinkedHashMap<>())
        .put(
            "post",
            Map.of(
                "summary",
                "End the browser session",
                "tags",
                List.of("access"),
                "x-permission",
                "signed in",
                "responses",
                Map.of("200", Map.of("description", "signed out"))));
    for (Route r : routes) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("summary", r.summary());
      var needed = RestApi.NEEDS.get(r.method() + " " + r.path());
      op.put("x-permission", needed == null ? "signed in" : needed.code());
      op.put("tags", List.of(r.tag()));
      op.put("operationId", r.method() + r.path().replaceAll("[^A-Za-z]+", "_"));
      List<Map<String, Object>> params = new ArrayList<>();
      Matcher m = PATH_PARAM.matcher(r.path());
      while (m.find()) {
        params.add(
            Map.of(
                "name",
                m.group(1),
                "in",
                "path",
                "required",
                true,
                "schema",
                Map.of("type", "string")));
      }
      for (Route.Param p : r.query()) {
        params.add(
            Map.of(
                "name", p.name(),
                "in", "query",
                "required", false,
                "description", p.description(),
                "schema", Map.of("type", p.type())));
      }
      if (!params.isEmpty()) {
        op.put("parameters", params);
      }
      if (r.body() != null) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.put("properties", new TreeMap<>(r.body()));
        if (!r.required().isEmpty()) {
          schema.put("required", r.required());
        }
        op.put(
            "requestBody",
            Map.of(
                "required", true, "content", Map.of("application/json", Map.of("schema", schema))));
      }
      Map<String, Object> error =
          Map.of(
              "content",
              Map.of(
                  "application/json",
                  Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
      Map<String, Object> responses = new LinkedHashMap<>();
      responses.put(
          RestApi.CREATED.contains(r.method() + " " + r.path()) ? "201" : "200",
          Map.of("description", r.method().equals("get") ? "OK" : "done; the changed resource"));
      responses.put("400", withDescription(error, "invalid input"));
      responses.put("401", withDescription(error, "missing, wrong, expired or revoked token"));
      responses.put(
          "403", withDescription(error, "the token lacks the permission x-permission names"));
      if (r.path().contains("{")) {
        responses.put("404", withDescription(error, "not found"));
      }
      if (r.method().equals("post")) {
        responses.put("409", withDescription(error, "not allowed in the current state"));
        responses.put("413", withDescription(error, "body too large"));
      }
      op.put("responses", responses);
      paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>()).put(r.method(), op);
    }
    doc.put("paths", paths);
    return doc;
  }

  private static Map<String, Object> withDescription(Map<String, Object> error, String d) {
    Map<String, Object> m = new LinkedHashMap<>(error);
    m.put("description", d);
    return m;
  }
}
