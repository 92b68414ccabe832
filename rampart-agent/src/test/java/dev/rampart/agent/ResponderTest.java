package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.rampart.agent.response.Action;
import dev.rampart.agent.response.Exec;
import dev.rampart.agent.response.Responder;
import dev.rampart.agent.transport.Protocol;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response commands on the agent: only signed, unexpired, unseen commands for this agent and on the
 * allow-list run; arguments are checked before anything runs; dry runs run nothing; undos are kept
 * on disk and run when due, also after a restart. Programs run through a recording stand-in.
 */
class ResponderTest {
  static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  @TempDir Path dir;
  KeyPair ca;
  final List<Event> results = new ArrayList<>();
  final List<List<String>> ran = new ArrayList<>();
  // "nft list table" fails the first time (no table yet), everything else works
  final Exec exec =
      argv -> {
        ran.add(argv);
        boolean probe = argv.size() > 2 && argv.get(1).equals("list");
        return new Exec.Result(
            probe && ran.stream().filter(a -> a.get(1).equals("list")).count() == 1 ? 1 : 0, "");
      };

  @BeforeEach
  void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    ca = g.generateKeyPair();
    Files.createDirectories(dir.resolve("root/etc"));
    Files.writeString(
        dir.resolve("root/etc/passwd"),
        "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
  }

  Responder responder(EnumSet<Action> allow) throws Exception {
    return new Responder(
        new Responder.Options(allow, dir.resolve("response"), dir.resolve("root")),
        ca.getPublic(),
        "agt-1",
        List.of(IpAddress.parse("10.0.0.5")),
        exec,
        results::add,
        "web-01");
  }

  Protocol.Envelope signed(Protocol.Command c, KeyPair key) throws Exception {
    byte[] payload = JSON.writeValueAsBytes(c);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key.getPrivate());
    s.update(payload);
    return new Protocol.Envelope(
        Base64.getEncoder().encodeToString(payload), Base64.getEncoder().encodeToString(s.sign()));
  }

  static Protocol.Command command(
      String action, Map<String, String> args, boolean dry, long undoS) {
    long now = System.currentTimeMillis();
    return new Protocol.Command(
        "act-" + UUID.randomUUID(),
        "agt-1",
        action,
        args,
        dry,
        undoS,
        now,
        now + 60_000,
        UUID.randomUUID().toString());
  }

  String outcome(int i) {
    return results.get(i).getText("rampart.response.outcome");
  }

  String detail(int i) {
    return results.get(i).getText("rampart.response.detail");
  }

  @Test
  void aSignedBlockRunsOnceAndIsUndoneWhenDueEvenAfterARestart() throws Exception {
    Protocol.Envelope env =
        signed(command("block_ip", Map.of("ip", "203.0.113.9"), false, 3600), ca);
    try (Responder r = responder(EnumSet.of(Action.BLOCK_IP))) {
      r.handle(env);
      r.handle(env); // delivered again with the next heartbeat: ignored
      assertThat(results).hasSize(1);
      assertThat(outcome(0)).isEqualTo("done");
      assertThat(ran)
          .contains(
              List.of("nft", "add", "table", "inet", "rampart"),
              List.of(
                  "nft", "add", "element", "inet", "rampart", "blocked4", "{", "203.0.113.9", "}"));
      assertThat(r.pending()).hasSize(1);
    }
    ran.clear();
    try (Responder again = responder(EnumSet.of(Action.BLOCK_IP))) {
      again.handle(env); // the nonce is on disk: a restart does not run it twice
      assertThat(ran).isEmpty();
      again.undoDue(System.currentTimeMillis() + 3_601_000);
      assertThat(ran)
          .containsExactly(
              List.of(
                  "nft",
                  "delete",
                  "element",
                  "inet",
                  "rampart",
                  "blocked4",
                  "{",
                  "203.0.113.9",
                  "}"));
      assertThat(outcome(1)).isEqualTo("undone");
      assertThat(again.pending()).isEmpty();
    }
    assertThat(Files.readAllLines(dir.resolve("response/audit.ndjson")))
        .hasSize(2)
        .anyMatch(l -> l.contains("\"outcome\":\"done\""))
        .anyMatch(l -> l.contains("\"outcome\":\"undone\""));
  }

  @Test
  void whatIsNotSignedExpiredForeignOrNotAllowedNeverRuns() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair other = g.generateKeyPair();
    try (Responder r = responder(EnumSet.of(Action.BLOCK_IP, Action.DISABLE_USER))) {
      r.handle(signed(command("block_ip", Map.of("ip", "203.0.113.9"), false, 0), other));
      Protocol.Command c = command("block_ip", Map.of("ip", "203.0.113.9"), false, 0);
      Protocol.Envelope good = signed(c, ca);
      Protocol.Command forged =
          new Protocol.Command(
              c.id(),
              c.agentId(),
              c.action(),
              Map.of("ip", "10.0.0.1"),
              false,
              0,
              c.issuedAt(),
              c.expiresAt(),
              c.nonce());
      r.handle(
          new Protocol.Envelope(
              Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(forged)),
              good.signature()));
      long past = System.currentTimeMillis() - 1000;
      r.handle(
          signed(
              new Protocol.Command(
                  "act-x",
                  "agt-1",
                  "block_ip",
                  Map.of("ip", "203.0.113.9"),
                  false,
                  0,
                  past - 60_000,
                  past,
                  "n-expired"),
              ca));
      r.handle(
          signed(
              new Protocol.Command(
                  "act-y",
                  "agt-2",
                  "block_ip",
                  Map.of("ip", "203.0.113.9"),
                  false,
                  0,
                  System.currentTimeMillis(),
                  System.currentTimeMillis() + 60_000,
                  "n-foreign"),
              ca));
      r.handle(signed(command("isolate", Map.of(), false, 0), ca));
      r.handle(signed(command("disable_user", Map.of("user", "root"), false, 0), ca));
      r.handle(signed(command("block_ip", Map.of("ip", "evil.example; rm -rf /"), false, 0), ca));
      r.handle(signed(command("reboot", Map.of(), false, 0), ca));
      assertThat(ran).isEmpty();
      assertThat(results)
          .hasSize(8)
          .allMatch(e -> "rejected".equals(e.getText("rampart.response.outcome")));
      assertThat(detail(0)).contains("signature");
      assertThat(detail(1)).contains("signature");
      assertThat(detail(2)).contains("expired");
      assertThat(detail(3)).contains("agt-2");
      assertThat(detail(4)).contains("not allowed on this host");
      assertThat(detail(5)).contains("uid 0");
      assertThat(detail(6)).contains("address literal");
      assertThat(detail(7)).contains("unknown action");
    }
  }

  @Test
  void aDryRunReportsWhatWouldRunAndRunsNothing() throws Exception {
    try (Responder r = responder(EnumSet.of(Action.DISABLE_USER, Action.ISOLATE))) {
      r.handle(signed(command("disable_user", Map.of("user", "alice"), true, 600), ca));
      r.handle(signed(command("isolate", Map.of(), true, 0), ca));
      assertThat(ran).isEmpty();
      assertThat(outcome(0)).isEqualTo("dry-run");
      assertThat(results.get(0).get("rampart.response.commands").toString())
          .contains("usermod --lock --expiredate 1 alice")
          .contains("undo: usermod --unlock --expiredate  alice");
      assertThat(results.get(1).get("rampart.response.commands").toString())
          .contains("nft add rule inet rampart_isolate input ip saddr 10.0.0.5 accept")
          .contains("undo: nft delete table inet rampart_isolate");
      assertThat(r.pending()).isEmpty();
    }
  }

  @Test
  void aKillChecksTheExecutableFirst() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try (Responder r =
        new Responder(
            new Responder.Options(
                EnumSet.of(Action.KILL_PROCESS), dir.resolve("response"), Path.of("/")),
            ca.getPublic(),
            "agt-1",
            List.of(),
            exec,
            results::add,
            "web-01")) {
      String pid = Long.toString(sleeper.pid());
      String exe = Files.readSymbolicLink(Path.of("/proc", pid, "exe")).toString();
      r.handle(
          signed(command("kill_process", Map.of("pid", pid, "exe", "/usr/bin/ssh"), false, 0), ca));
      r.handle(signed(command("kill_process", Map.of("pid", pid, "exe", exe), false, 60), ca));
      r.handle(signed(command("kill_process", Map.of("pid", "1"), false, 0), ca));
      assertThat(outcome(0)).isEqualTo("rejected");
      assertThat(detail(0)).contains("nothing killed");
      assertThat(outcome(1)).isEqualTo("done");
      assertThat(detail(1)).contains("cannot be undone");
      assertThat(outcome(2)).isEqualTo("rejected");
      assertThat(ran).containsExactly(List.of("kill", "-KILL", pid));
    } finally {
      sleeper.destroyForcibly();
    }
  }
}
