package dev.rampart.agent.response;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.rampart.agent.AgentEvents;
import dev.rampart.agent.transport.Protocol;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.io.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Carries out the server's response commands on this host. A command runs only when its signature
 * verifies against the agent CA's key, it names this agent, it has not expired, its nonce was never
 * seen (kept on disk until the command's expiry, written before anything runs: a command runs at
 * most once, even across a crash) and its action is on this host's allow-list. A dry run reports
 * the programs it would run. An undo that is due is kept on disk and runs when due, also after a
 * restart or reboot. Every outcome becomes an {@code agent/response} record for the server.
 */
public final class Responder implements Closeable {
  /**
   * @param allow the actions this host permits (none by default)
   * @param dir where nonces and pending undos are kept
   * @param root the host's root (for /proc and /etc/passwd)
   */
  public record Options(Set<Action> allow, Path dir, Path root) {}

  /** An undo waiting for its time. */
  public record Undo(String id, String action, long dueAt, List<List<String>> commands) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final Options options;
  private final PublicKey serverKey;
  private final String agentId;
  private final List<IpAddress> server;
  private final Exec exec;
  private final Consumer<Event> results;
  private final String host;
  private final Map<String, Long> nonces = new HashMap<>();
  private final List<Undo> undos = new ArrayList<>();
  private final Thread undoer;
  private volatile boolean running = true;

  public Responder(
      Options options,
      PublicKey serverKey,
      String agentId,
      List<IpAddress> server,
      Exec exec,
      Consumer<Event> results,
      String host)
      throws IOException {
    this.options = options;
    this.serverKey = serverKey;
    this.agentId = agentId;
    this.server = List.copyOf(server);
    this.exec = exec;
    this.results =
        e -> {
          audit(e);
          results.accept(e);
        };
    this.host = host;
    Files.createDirectories(options.dir());
    if (Files.exists(nonceFile())) {
      nonces.putAll(
          JSON.readValue(nonceFile().toFile(), new TypeReference<Map<String, Long>>() {}));
    }
    if (Files.exists(undoFile())) {
      undos.addAll(JSON.readValue(undoFile().toFile(), new TypeReference<List<Undo>>() {}));
    }
    this.undoer = Thread.ofPlatform().name("response-undo").daemon().start(this::undoLoop);
  }

  private Path nonceFile() {
    return options.dir().resolve("nonces.json");
  }

  private Path undoFile() {
    return options.dir().resolve("undo.json");
  }

  /** Handles one delivered command; a command seen before is ignored (delivery repeats). */
  public synchronized void handle(Protocol.Envelope env) {
    Protocol.Command c;
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(env.payload());
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(serverKey);
      v.update(payload);
      if (!v.verify(Base64.getDecoder().decode(env.signature()))) {
        results.accept(
            result(null, "rejected", "the signature does not verify; nothing run", List.of(), 0));
        return;
      }
      c = JSON.readValue(payload, Protocol.Command.class);
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      results.accept(
          result(
              null, "rejected", "not a readable signed command: " + e.getMessage(), List.of(), 0));
      return;
    }
    long now = System.currentTimeMillis();
    if (!agentId.equals(c.agentId())) {
      results.accept(
          result(c, "rejected", "the command is for agent " + c.agentId(), List.of(), 0));
      return;
    }
    if (c.nonce() == null || nonces.containsKey(c.nonce())) {
      return; // delivered again: it ran (or was refused) already
    }
    if (now > c.expiresAt()) {
      results.accept(
          result(
              c,
              "rejected",
              "expired at " + java.time.Instant.ofEpochMilli(c.expiresAt()),
              List.of(),
              0));
      return;
    }
    try {
      remember(c.nonce(), c.expiresAt(), now); // before anything runs: at most once
    } catch (IOException e) {
      results.accept(
          result(c, "failed", "cannot record the nonce: " + e.getMessage(), List.of(), 0));
      return;
    }
    Action a = Action.of(c.action() == null ? "" : c.action());
    if (a == null) {
      results.accept(result(c, "rejected", "unknown action; known: " + Action.ids(), List.of(), 0));
      return;
    }
    if (!options.allow().contains(a)) {
      results.accept(
          result(
              c,
              "rejected",
              a.id() + " is not allowed on this host (response.allow in the agent config)",
              List.of(),
              0));
      return;
    }
    Map<String, String> args = c.args() == null ? Map.of() : c.args();
    Exec.Recording dry = new Exec.Recording();
    Action.Context ctx = new Action.Context(c.dryRun() ? dry : exec, options.root(), server);
    try {
      List<List<String>> undo = a.apply(args, ctx);
      if (c.dryRun()) {
        List<String> would = dry.ran.stream().map(x -> String.join(" ", x)).toList();
        List<String> all = new ArrayList<>(would);
        undo.forEach(x -> all.add("undo: " + String.join(" ", x)));
        results.accept(result(c, "dry-run", "would run " + would.size() + " commands", all, 0));
        return;
      }
      long due = 0;
      String detail = "done";
      if (c.undoAfterS() > 0) {
        if (undo.isEmpty()) {
          detail = "done; " + a.id() + " cannot be undone";
        } else {
          due = now + c.undoAfterS() * 1000;
          undos.add(new Undo(c.id(), a.id(), due, undo));
          saveUndos();
          detail = "done; undone at " + java.time.Instant.ofEpochMilli(due);
        }
      }
      results.accept(result(c, "done", detail, List.of(), due));
    } catch (IllegalArgumentException | IllegalStateException e) {
      results.accept(result(c, "rejected", e.getMessage(), List.of(), 0));
    } catch (IOException e) {
      results.accept(result(c, "failed", e.getMessage(), List.of(), 0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The host's own record of every outcome (DATA/response/audit.ndjson), forced to disk: the agent
   * side of the audit, readable where the server cannot reach.
   */
  private void audit(Event e) {
    Map<String, Object> line = new java.util.LinkedHashMap<>();
    line.put("time", java.time.Instant.now().toString());
    line.put("command_id", e.getText("rampart.response.command_id"));
    line.put("action", e.getText("event.action"));
    line.put("outcome", e.getText("rampart.response.outcome"));
    line.put("detail", e.getText("rampart.response.detail"));
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            options.dir().resolve("audit.ndjson"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      ch.write(
          java.nio.ByteBuffer.wrap(
              (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    } catch (IOException ex) {
      // the outcome still goes to the server, which audits it too
    }
  }

  private void remember(String nonce, long expiresAt, long now) throws IOException {
    nonces.values().removeIf(exp -> exp < now);
    nonces.put(nonce, expiresAt);
    DurableFiles.writeAtomically(nonceFile(), JSON.writeValueAsBytes(nonces));
  }

  private void saveUndos() throws IOException {
    DurableFiles.writeAtomically(undoFile(), JSON.writeValueAsBytes(undos));
  }

  /** Undoes what is due (also what fell due while the agent was down). */
  public synchronized void undoDue(long now) {
    List<Undo> due = undos.stream().filter(u -> u.dueAt() <= now).toList();
    for (Undo u : due) {
      String outcome = "undone";
      String detail = "undone";
      try {
        for (List<String> cmd : u.commands()) {
          Exec.Result r = exec.run(cmd);
          if (!r.ok()) {
            outcome = "undo-failed";
            detail = String.join(" ", cmd) + " failed (" + r.status() + "): " + r.output();
          }
        }
      } catch (IOException e) {
        outcome = "undo-failed";
        detail = e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      undos.remove(u);
      Event e =
          result(
              null,
              outcome,
              detail,
              u.commands().stream().map(x -> String.join(" ", x)).toList(),
              0);
      e.addString("rampart.response.command_id", u.id());
      e.addString("event.action", u.action());
      results.accept(e);
    }
    if (!due.isEmpty()) {
      try {
        saveUndos();
      } catch (IOException e) {
        // the undos ran; at worst they run once more at the next start, which is harmless
      }
    }
  }

  /** Undos waiting, for status and tests. */
  public synchronized List<Undo> pending() {
    return List.copyOf(undos);
  }

  private void undoLoop() {
    while (running) {
      undoDue(System.currentTimeMillis());
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Event result(
      Protocol.Command c, String outcome, String detail, List<String> commands, long undoAt) {
    Event e =
        AgentEvents.response(
            host,
            c == null ? null : c.id(),
            c == null ? null : c.action(),
            outcome,
            detail,
            commands);
    if (undoAt > 0) {
      e.addLong("rampart.response.undo_at", undoAt);
    }
    return e;
  }

  @Override
  public void close() {
    running = false;
    undoer.interrupt();
  }
}
