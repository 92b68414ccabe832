package dev.rampart.ingest.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.Problems;
import dev.rampart.ingest.spool.Spool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the ingestion server during network load: a separate JVM runs {@link IngestServer}
 * from a YAML config; clients post NDJSON batches over HTTP (an answer of 200 means acknowledged,
 * after fsync) and syslog over TCP; the server is killed with SIGKILL at a random moment, three
 * times, and restarted on the same data. Afterwards every acknowledged event is in the spool
 * exactly once, and no event is there twice.
 */
class IngestServerCrashTest {
  @TempDir Path dir;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void acknowledgedEventsSurviveKillNineOfTheServer() throws Exception {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    System.out.println("server crash test seed " + seed);
    Path config = dir.resolve("rampart.yaml");
    Path token = dir.resolve("token");
    Files.writeString(token, "crash-test-token\n");
    Files.writeString(
        config,
        """
        # what an operator writes: data next to the config, inputs on loopback
        data: data
        pipeline: {batch: 256}
        inputs:
          - {type: http, name: http, port: 0, token_file: token}
          - {type: syslog-tcp, name: syslog, port: 0}
        """);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong nextId = new AtomicLong();
    for (int round = 0; round < 3; round++) {
      Files.deleteIfExists(dir.resolve("data/ports.json"));
      Process server =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  IngestServerProcess.class.getName(),
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server-" + round + ".log").toFile())
              .start();
      Map<String, Integer> ports =
          awaitPorts(
              dir.resolve("data/ports.json"), server, dir.resolve("server-" + round + ".log"));
      URI ingest = URI.create("http://127.0.0.1:" + ports.get("http") + "/ingest");
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        clients.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (!stop.get()) {
                        List<String> ids = new ArrayList<>();
                        StringBuilder body = new StringBuilder();
                        for (int i = 0; i < 50; i++) {
                          String id = "e" + nextId.getAndIncrement();
                          ids.add(id);
                          body.append("{\"id\":\"").append(id).append("\",\"message\":\"x\"}\n");
                        }
                        try {
                          HttpResponse<String> r =
                              CLIENT.send(
                                  HttpRequest.newBuilder(ingest)
                                      .header("Authorization", "Bearer crash-test-token")
                                      .timeout(Duration.ofSeconds(10))
                                      .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString());
                          if (r.statusCode() == 200) {
                            acked.addAll(ids);
                          }
                        } catch (Exception e) {
                          return; // the server died: these were never acknowledged
                        }
                      }
                    }));
      }
      // Syslog over TCP at the same time: no acknowledgements, but it must not corrupt anything.
      Thread syslog =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (var s = new java.net.Socket("127.0.0.1", ports.get("syslog"));
                        var out = s.getOutputStream()) {
                      while (!stop.get()) {
                        out.write(
                            "<13>1 2026-11-28T08:15:01Z h app - - - tcp load\n"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                      }
                    } catch (Exception e) {
                      // killed
                    }
                  });
      long before = acked.size();
      // Kill at a random moment after the server has acknowledged something in this round (on
      // a loaded machine the first answers may take a while; no timing is assumed).
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (acked.size() == before && System.nanoTime() < deadline && server.isAlive()) {
        Thread.sleep(10);
      }
      Thread.sleep(rnd.nextInt(500));
      server.destroyForcibly(); // SIGKILL: no shutdown hook runs
      server.waitFor();
      stop.set(true);
      for (Thread t : clients) {
        t.join(15_000);
      }
      syslog.join(5_000);
      assertThat(acked.size())
          .as("seed %d: round %d acknowledged events before the kill", seed, round)
          .isGreaterThan((int) before);
    }
    Map<String, Integer> seen = new HashMap<>();
    long[] syslogEvents = {0};
    Problems problems = new Problems(10);
    try (Spool s = Spool.open(dir.resolve("data/spool"), Spool.Options.defaults(), problems)) {
      s.read(
          s.start(),
          (e, off, next) -> {
            String id = e.getText("id");
            if (id != null) {
              seen.merge(id, 1, Integer::sum);
            } else {
              syslogEvents[0]++;
            }
          });
    }
    for (String id : acked) {
      assertThat(seen.get(id)).as("seed %d: acknowledged event %s", seed, id).isEqualTo(1);
    }
    assertThat(seen.values()).as("seed %d: no event stored twice", seed).allMatch(n -> n == 1);
    System.out.printf(
        "3 kills: %d events acknowledged, all present once; %d stored in all (%d syslog)%n",
        acked.size(), seen.size(), syslogEvents[0]);
  }

  private static Map<String, Integer> awaitPorts(Path file, Process server, Path log)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        Map<String, Integer> ports = new HashMap<>();
        String json = Files.readString(file).trim();
        for (String pair : json.substring(1, json.length() - 1).split(",")) {
          String[] kv = pair.split(":");
          ports.put(kv[0].replace("\"", ""), Integer.parseInt(kv[1].trim()));
        }
        return ports;
      }
      if (!server.isAlive()) {
        throw new AssertionError("the server stopped:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server wrote no ports.json within 60 s");
  }
}
