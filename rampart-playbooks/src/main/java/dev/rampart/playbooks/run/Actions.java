package dev.rampart.playbooks.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.playbook.Step;
import dev.rampart.playbooks.playbook.Template;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Carries out steps. Each call returns a result; none throws for a failed action. */
final class Actions {
  /** A step's outcome: ok or failed, the attempts made, and what happened (no secrets). */
  record Result(boolean ok, int attempts, String detail) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL = 4096;

  private final Settings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Object blocklistLock = new Object();
  // Tests shorten real sleeps; production waits the configured backoff.
  private final Sleeper sleeper;

  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  Actions(Settings settings, Sleeper sleeper) {
    this.settings = settings;
    this.sleeper = sleeper;
  }

  Result run(Step step, Map<String, String> values, Map<String, Object> payload, String key)
      throws InterruptedException {
    try {
      return switch (step) {
        case Step.Webhook w ->
            post(
                w.url(),
                JSON.writeValueAsBytes(payload),
                w.secret(),
                key,
                w.retries(),
                w.backoff(),
                w.timeout());
        case Step.Slack s ->
            post(
                s.url(),
                JSON.writeValueAsBytes(Map.of("text", s.text().render(values))),
                null,
                key,
                s.retries(),
                s.backoff(),
                Duration.ofSeconds(10));
        case Step.Teams t -> {
          Map<String, Object> card = new LinkedHashMap<>();
          card.put("@type", "MessageCard");
          card.put("@context", "https://schema.org/extensions");
          card.put("summary", t.title().render(values));
          card.put("title", t.title().render(values));
          card.put("text", t.text().render(values));
          yield post(
              t.url(),
              JSON.writeValueAsBytes(card),
              null,
              key,
              t.retries(),
              t.backoff(),
              Duration.ofSeconds(10));
        }
        case Step.Email e -> email(e, values);
        case Step.Blocklist b -> blocklist(b, values);
        case Step.Command c -> command(c, values);
        case Step.AgentAction a -> agent(a, values);
      };
    } catch (IOException | RuntimeException e) {
      return new Result(false, 1, cut(e.toString()));
    }
  }

  /**
   * POSTs JSON; retries network errors, 429 and 5xx with exponential backoff, keeping one
   * idempotency key; signs {@code timestamp.body} with HMAC-SHA256 when a secret is given.
   */
  private Result post(
      String url,
      byte[] body,
      String secret,
      String idempotencyKey,
      int retries,
      Duration backoff,
      Duration timeout)
      throws InterruptedException {
    String last = "";
    int attempts = 0;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        long ms = Math.min(60_000, backoff.toMillis() << Math.min(attempt - 1, 16));
        sleeper.sleep(Duration.ofMillis(ms));
      }
      attempts++;
      HttpRequest.Builder rq =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", "Rampart")
              .header("Idempotency-Key", idempotencyKey)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (secret != null) {
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        rq.header("X-Rampart-Timestamp", ts);
        rq.header("X-Rampart-Signature", "sha256=" + hmac(secret, ts, body));
      }
      try {
        HttpResponse<String> r = http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
        int code = r.statusCode();
        if (code >= 200 && code < 300) {
          return new Result(true, attempts, "HTTP " + code);
        }
        last = "HTTP " + code + ": " + cut(r.body());
        if (code != 429 && code < 500) {
          return new Result(false, attempts, last); // the receiver refused it: retrying won't help
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    return new Result(false, attempts, cut(last));
  }

  /** The hex HMAC-SHA256 of {@code timestamp + "." + body} (what a receiver recomputes). */
  static String hmac(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private Result email(Step.Email e, Map<String, String> values) {
    List<String> to = new ArrayList<>();
    for (Template t : e.to()) {
      to.add(t.render(values));
    }
    Mailer.Sent r =
        Mailer.send(settings.smtp(), to, e.subject().render(values), e.body().render(values));
    return new Result(r.ok(), r.attempts(), cut(r.detail()));
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  private Result blocklist(Step.Blocklist b, Map<String, String> values) throws IOException {
    String v = b.value().render(values).strip();
    if (v.isEmpty()
        || v.equals("-")
        || v.length() > 512
        || v.chars().anyMatch(Character::isWhitespace)) {
      return new Result(false, 1, "nothing to block: the value is '" + cut(v) + "'");
    }
    Path file = settings.blocklists().resolve(b.list() + ".txt");
    synchronized (blocklistLock) {
      Files.createDirectories(file.getParent());
      if (Files.exists(file) && Files.readAllLines(file).contains(v)) {
        return new Result(true, 1, v + " already in " + b.list());
      }
      try (var ch =
          java.nio.channels.FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap((v + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
    }
    return new Result(true, 1, "added " + v + " to " + b.list());
  }

  private Result agent(Step.AgentAction a, Map<String, String> values) {
    if (settings.agents() == null) {
      return new Result(false, 0, "agents are off (agents.enabled)");
    }
    String agent = a.agent().render(values).strip();
    if (agent.isEmpty() || agent.equals("-")) {
      return new Result(false, 0, "no agent to order: the agent is '" + agent + "'");
    }
    Map<String, String> args = new LinkedHashMap<>();
    a.args().forEach((k, t) -> args.put(k, t.render(values).strip()));
    try {
      String id =
          settings.agents().order(agent, a.command(), args, a.dryRun(), a.undoAfter(), "playbook");
      return new Result(
          true,
          1,
          "ordered "
              + a.command()
              + (a.dryRun() ? " (dry run)" : "")
              + " on "
              + agent
              + " as "
              + id
              + "; the agent reports the outcome");
    } catch (Exception e) {
      return new Result(false, 1, cut(a.command() + " on " + agent + ": " + e.getMessage()));
    }
  }

  private Result command(Step.Command c, Map<String, String> values)
      throws IOException, InterruptedException {
    if (!settings.allowCommands()) {
      return new Result(false, 0, "local commands are off (response.allow_commands)");
    }
    List<String> argv = new ArrayList<>();
    for (Template t : c.argv()) {
      argv.add(t.render(values));
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    // Read concurrently so a chatty program cannot block on a full pipe.
    StringBuilder out = new StringBuilder();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var in = p.getInputStream()) {
                    byte[] buf = in.readNBytes(MAX_DETAIL);
                    synchronized (out) {
                      out.append(new String(buf, StandardCharsets.UTF_8));
                    }
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                  } catch (IOException ignored) {
                    // the process went away; what was read is kept
                  }
                });
    if (!p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return new Result(false, 1, "timed out after " + c.timeout().toSeconds() + " s");
    }
    reader.join(1000);
    String text;
    synchronized (out) {
      text = out.toString().strip();
    }
    return new Result(
        p.exitValue() == 0, 1, cut("exit " + p.exitValue() + (text.isEmpty() ? "" : ": " + text)));
  }

  private static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }
}
