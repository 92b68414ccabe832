package dev.rampart.server.api;

import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;

/**
 * One API operation, described as data: the same table registers the handlers and writes the
 * OpenAPI document, so the document cannot drift from what the server does.
 *
 * @param query query parameters (name, description); all optional
 * @param body the JSON request body's properties (name to OpenAPI schema), null when none
 * @param required the body properties that must be present
 */
record Route(
    String method,
    String path,
    String tag,
    String summary,
    List<Param> query,
    Map<String, Map<String, Object>> body,
    List<String> required,
    Handler handler) {

  /**
   * This route with its handler: routes with a body are declared first (the handler reads the body
   * by the declaration), then given the handler.
   */
  Route with(Handler h) {
    return new Route(method, path, tag, summary, query, body, required, h);
  }

  record Param(String name, String type, String description) {}

  static Param q(String name, String type, String description) {
    return new Param(name, type, description);
  }

  static Map<String, Object> str(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> strings(String description) {
    return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
  }

  static Map<String, Object> integer(String description) {
    return Map.of("type", "integer", "format", "int64", "description", description);
  }
}
