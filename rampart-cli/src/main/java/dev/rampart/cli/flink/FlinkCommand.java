package dev.rampart.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cli.UsageException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rampart flink}: the scale-out detection job on a Flink cluster, through the JobManager's
 * REST API (the jar uploaded, run, listed, cancelled), so no Flink distribution is needed where
 * Rampart is installed.
 */
@Command(
    name = "flink",
    mixinStandardHelpOptions = true,
    description = {
      "Run Rampart's scale-out detection job on a Flink cluster through its REST API",
      "(docs/scale-out.md)."
    },
    subcommands = {FlinkCommand.Submit.class, FlinkCommand.Jobs.class, FlinkCommand.Cancel.class})
public final class FlinkCommand implements Runnable {
  static final String ENTRY = "dev.rampart.flink.DetectionJob";

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "name a subcommand: submit, jobs or cancel");
  }

  /** The JobManager's REST address. */
  static class Cluster {
    @Option(
        names = "--rest",
        paramLabel = "URL",
        defaultValue = "${env:RAMPART_FLINK_REST:-http://localhost:8081}",
        description =
            "The JobManager's REST address (default: $RAMPART_FLINK_REST or ${DEFAULT-VALUE}).")
    String rest;

    Rest client() {
      String u = rest.replaceAll("/+$", "");
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new UsageException(
            "--rest wants the JobManager's address, http://HOST:8081; got " + rest);
      }
      return new Rest(URI.create(u));
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Upload rampart-flink.jar and start the detection job; prints the job id. Arguments after",
        "-- go to the job (--bootstrap is required there: the Kafka the platform forwards to)."
      },
      footer = {
        "",
        "Examples:",
        "  rampart flink submit --rest http://jobmanager:8081 -- --bootstrap kafka-1:9092",
        "  rampart flink submit --parallelism 8 -- --bootstrap kafka-1:9092 --exactly-once true",
        "",
        "Job arguments: --bootstrap HOST:9092 [--events rampart.events] [--rules rampart.rules]",
        "[--alerts rampart.alerts] [--dead-letters rampart.events.dlq] [--lateness-seconds 30]",
        "[--idleness-seconds 60] [--exactly-once true] [--correlation-levels 3]"
      })
  static final class Submit implements Callable<Integer> {
    @picocli.CommandLine.Mixin Cluster cluster;

    @Option(
        names = "--jar",
        paramLabel = "FILE",
        description =
            "The job jar (default: rampart-flink/target/rampart-flink.jar beside this CLI).")
    Path jar;

    @Option(names = "--parallelism", paramLabel = "N", description = "The job's parallelism.")
    Integer parallelism;

    @Parameters(paramLabel = "JOB-ARGS", description = "The job's arguments, after --.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (!args.contains("--bootstrap")) {
        throw new UsageException(
            "the job needs the Kafka it reads: rampart flink submit -- --bootstrap HOST:9092");
      }
      Path file = jar != null ? jar : defaultJar();
      if (!Files.isRegularFile(file)) {
        throw new UsageException(
            "no job jar at "
                + file
                + ": build it (./mvnw -pl rampart-flink package) or give --jar");
      }
      Rest rest = cluster.client();
      String jarId = rest.upload(file);
      List<String> jobArgs = new ArrayList<>(args);
      if (parallelism != null) {
        jobArgs.add("--parallelism");
        jobArgs.add(Integer.toString(parallelism));
      }
      String job = rest.run(jarId, ENTRY, jobArgs, parallelism);
      System.out.println(job);
      System.err.println(
          "submitted the detection job "
              + job
              + "; its page: "
              + rest.base
              + "/#/job/running/"
              + job);
      return 0;
    }

    static Path defaultJar() {
      try {
        Path cli =
            Path.of(FlinkCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // rampart-cli/target/rampart.jar (or target/classes) →
        // rampart-flink/target/rampart-flink.jar
        return cli.getParent()
            .getParent()
            .getParent()
            .resolve("rampart-flink/target/rampart-flink.jar");
      } catch (Exception e) {
        return Path.of("rampart-flink/target/rampart-flink.jar");
      }
    }
  }

  @Command(
      name = "jobs",
      mixinStandardHelpOptions = true,
      description = "The cluster's jobs: id, state, name, started.",
      footer = {"", "Examples:", "  rampart flink jobs --rest http://jobmanager:8081"})
  static final class Jobs implements Callable<Integer> {
    @picocli.CommandLine.Mixin Cluster cluster;

    @Override
    public Integer call() throws Exception {
      for (JsonNode j : cluster.client().jobs()) {
        long start = j.path("start-time").asLong(-1);
        System.out.printf(
            Locale.ROOT,
            "%s  %-10s %-24s %s%n",
            j.path("jid").asText(),
            j.path("state").asText(),
            j.path("name").asText(),
            start > 0 ? java.time.Instant.ofEpochMilli(start).toString() : "");
      }
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a job (its id from rampart flink jobs).",
      footer = {"", "Examples:", "  rampart flink cancel 5f2c0e0c1c3b9f5e0c0b4d7a3e2f1a90"})
  static final class Cancel implements Callable<Integer> {
    @picocli.CommandLine.Mixin Cluster cluster;

    @Parameters(paramLabel = "JOB-ID")
    String job;

    @Override
    public Integer call() throws Exception {
      if (!job.matches("[0-9a-f]{32}")) {
        throw new UsageException(
            "a job id is 32 hex digits (rampart flink jobs lists them): " + job);
      }
      cluster.client().cancel(job);
      System.err.println("cancelling " + job);
      return 0;
    }
  }

  /** The few REST calls used; errors carry Flink's own message. */
  static final class Rest {
    private static final ObjectMapper JSON = new ObjectMapper();
    final URI base;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Rest(URI base) {
      this.base = base;
    }

    /** Uploads {@code jar}; returns the cluster's id for it. */
    String upload(Path jar) throws IOException, InterruptedException {
      String boundary = "rampart-" + UUID.randomUUID();
      byte[] head =
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                  + jar.getFileName().toString().replace("\"", "")
                  + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
      // the jar streams from its file (tens of MB) between the part's head and the closing line
      JsonNode r =
          send(
              HttpRequest.newBuilder(base.resolve("/jars/upload"))
                  .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                  .POST(
                      HttpRequest.BodyPublishers.concat(
                          HttpRequest.BodyPublishers.ofByteArray(head),
                          HttpRequest.BodyPublishers.ofFile(jar),
                          HttpRequest.BodyPublishers.ofByteArray(tail))));
      String name = r.path("filename").asText();
      if (name.isEmpty()) {
        throw new IOException("Flink did not take the jar: " + r);
      }
      return Path.of(name).getFileName().toString();
    }

    /** Runs the uploaded jar's {@code entry} with {@code args}; returns the job id. */
    String run(String jarId, String entry, List<String> args, Integer parallelism)
        throws IOException, InterruptedException {
      Map<String, Object> req = new LinkedHashMap<>();
      req.put("entryClass", entry);
      req.put("programArgsList", args);
      if (parallelism != null) {
        req.put("parallelism", parallelism);
      }
      JsonNode r =
          send(
              HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(req))));
      String job = r.path("jobid").asText();
      if (job.isEmpty()) {
        throw new IOException("Flink did not start the job: " + r);
      }
      return job;
    }

    List<JsonNode> jobs() throws IOException, InterruptedException {
      List<JsonNode> out = new ArrayList<>();
      JsonNode r = send(HttpRequest.newBuilder(base.resolve("/jobs/overview")).GET());
      r.path("jobs").forEach(out::add);
      return out;
    }

    void cancel(String job) throws IOException, InterruptedException {
      send(
          HttpRequest.newBuilder(base.resolve("/jobs/" + job + "?mode=cancel"))
              .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode send(HttpRequest.Builder rq) throws IOException, InterruptedException {
      HttpResponse<String> r;
      try {
        r =
            http.send(
                rq.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.net.ConnectException e) {
        throw new IOException("no Flink REST API at " + base + " (is the JobManager up?)", e);
      }
      JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
      if (r.statusCode() >= 300) {
        String why =
            body.path("errors").isArray() && !body.path("errors").isEmpty()
                ? body.path("errors").get(0).asText()
                : r.body();
        throw new IOException("Flink answered " + r.statusCode() + ": " + rootCause(why));
      }
      return body;
    }

    /** Flink's errors are Java stack traces: the first line and the deepest cause say it. */
    static String rootCause(String trace) {
      String first = trace.lines().findFirst().orElse("");
      int at = trace.lastIndexOf("Caused by: ");
      if (at < 0) {
        return first.length() > 500 ? first.substring(0, 500) + "..." : first;
      }
      String cause = trace.substring(at).lines().findFirst().orElse("");
      return first + " (" + cause + ")";
    }
  }
}
