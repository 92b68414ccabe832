package dev.rampart.playbooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on 127.0.0.1 that records what it receives and answers scripted codes. */
public final class Receiver implements AutoCloseable {
  /** One request as received. */
  public record Request(String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Integer>> codes = new java.util.HashMap<>();

  public Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()), body));
          int code;
          synchronized (codes) {
            Deque<Integer> q = codes.get(x.getRequestURI().getPath());
            code = q == null || q.isEmpty() ? 200 : q.poll();
          }
          byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(code, out.length);
          x.getResponseBody().write(out);
          x.close();
        });
    server.start();
  }

  /** The next responses' status codes on {@code path} (then 200). */
  public void answer(String path, Integer... next) {
    synchronized (codes) {
      codes.computeIfAbsent(path, k -> new ArrayDeque<>()).addAll(List.of(next));
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
