package dev.rampart.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  static final int EVENTS = 30_000;
  static byte[] bytes;
  static List<Simulator.Truth> truth = new ArrayList<>();
  static List<Event> events = new ArrayList<>();
  static Map<String, Event> byId = new HashMap<>();

  @BeforeAll
  static void generate() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Simulator.run(options(EVENTS, 7, 2), out, truth::add, n -> {});
    bytes = out.toByteArray();
    Problems problems = new Problems(10);
    try (JsonEventReader r =
        new JsonEventReader(
            new ByteArrayInputStream(bytes), "sim", ReadOptions.DEFAULTS, problems)) {
      Event e = new Event();
      while (r.next(e)) {
        Event c = e.copy();
        events.add(c);
        byId.put(c.getText("event.id"), c);
      }
    }
    assertThat(problems.kept()).isEmpty();
  }

  static Simulator.Options options(long n, long seed, int threads) {
    Simulator.Options d = Simulator.Options.of(List.of(Scenario.values()), n, seed);
    return new Simulator.Options(
        d.scenarios(), n, seed, d.startNanos(), d.durationNanos(), d.workstations(), threads);
  }

  @Test
  void writesExactlyTheRequestedNumberOfEventsInTimeOrder() {
    assertThat(events).hasSize(EVENTS);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).timestamp()).isGreaterThanOrEqualTo(events.get(i - 1).timestamp());
    }
    assertThat(byId).hasSize(EVENTS); // ids are unique
  }

  @Test
  void sameSeedSameBytesWhateverTheThreads() throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    Simulator.run(options(EVENTS, 7, 1), one, t -> {}, n -> {});
    ByteArrayOutputStream four = new ByteArrayOutputStream();
    Simulator.run(options(EVENTS, 7, 4), four, t -> {}, n -> {});
    assertThat(one.toByteArray()).isEqualTo(bytes).isEqualTo(four.toByteArray());
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    Simulator.run(options(EVENTS, 8, 2), other, t -> {}, n -> {});
    assertThat(other.toByteArray()).isNotEqualTo(bytes);
  }

  @Test
  void everyScenarioAppearsInTheGroundTruthAndTheData() {
    Map<Scenario, Long> counts =
        truth.stream()
            .collect(Collectors.groupingBy(Simulator.Truth::scenario, Collectors.counting()));
    assertThat(counts.keySet()).containsExactlyInAnyOrder(Scenario.values());
    for (Simulator.Truth t : truth) {
      Event e = byId.get(t.eventId());
      assertThat(e).as(t.toString()).isNotNull();
      assertThat(e.timestamp()).isEqualTo(t.timestamp());
      assertThat(t.scenario().techniques()).contains(t.technique());
    }
  }

  private List<Event> of(Scenario s) {
    return truth.stream().filter(t -> t.scenario() == s).map(t -> byId.get(t.eventId())).toList();
  }

  @Test
  void encodedPowershellCarriesARealUtf16Base64Script() {
    Event ps = of(Scenario.ENCODED_POWERSHELL).get(0);
    assertThat(ps.source().logType()).isEqualTo("windows/sysmon");
    assertThat(ps.getText("Image")).endsWith("\\powershell.exe");
    assertThat(ps.getText("ParentImage")).endsWith("\\WINWORD.EXE");
    String cmd = ps.getText("CommandLine");
    String b64 = cmd.substring(cmd.indexOf("-enc ") + 5);
    String script = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_16LE);
    assertThat(script).contains("DownloadString(");
    assertThat(ps.getText("process.command_line")).isEqualTo(cmd); // ECS beside native
  }

  @Test
  void psexecLeavesItsServiceAndPipe() {
    List<Event> ev = of(Scenario.PSEXEC_LATERAL);
    assertThat(ev)
        .anySatisfy(
            e -> {
              assertThat(e.getText("EventID")).isEqualTo("7045");
              assertThat(e.getText("Provider_Name")).isEqualTo("Service Control Manager");
              assertThat(e.getText("ServiceName")).isEqualTo("PSEXESVC");
              assertThat(e.getText("ImagePath")).endsWith("\\PSEXESVC.exe");
            });
    assertThat(ev).anySatisfy(e -> assertThat(e.getText("PipeName")).isEqualTo("\\PSEXESVC"));
    assertThat(ev)
        .anySatisfy(e -> assertThat(e.getText("Image")).isEqualTo("C:\\Windows\\PSEXESVC.exe"));
  }

  @Test
  void lsassAccessIsAProcessAccessOnLsass() {
    assertThat(of(Scenario.LSASS_ACCESS))
        .anySatisfy(
            e -> {
              assertThat(e.getText("EventID")).isEqualTo("10");
              assertThat(e.getText("TargetImage")).endsWith("\\lsass.exe");
              assertThat(e.getText("GrantedAccess")).isEqualTo("0x1fffff");
            });
  }

  @Test
  void sshBruteForceIsFailuresThenASuccessFromTheSameAddress() {
    List<Event> ev = of(Scenario.SSH_BRUTE_FORCE);
    List<Event> ssh = ev.stream().filter(e -> "sshd".equals(e.getText("process.name"))).toList();
    assertThat(ssh.size()).isGreaterThan(20);
    Event last = ssh.get(ssh.size() - 1);
    assertThat(last.getText("message")).startsWith("Accepted password for ");
    assertThat(ssh.subList(0, ssh.size() - 1))
        .allSatisfy(e -> assertThat(e.getText("message")).startsWith("Failed password for "));
    assertThat(ssh).extracting(e -> e.getText("source.ip")).containsOnly(last.getText("source.ip"));
    assertThat(last.getText("event.original"))
        .matches(
            "[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d bastion-01 sshd\\[\\d+\\]: Accepted .*");
  }

  @Test
  void passwordSprayIsManyAccountsThenOneLogon() {
    List<Event> ev = of(Scenario.PASSWORD_SPRAY);
    long failures = ev.stream().filter(e -> "4625".equals(e.getText("EventID"))).count();
    long accounts =
        ev.stream()
            .filter(e -> "4625".equals(e.getText("EventID")))
            .map(e -> e.getText("TargetUserName"))
            .distinct()
            .count();
    assertThat(failures).isGreaterThanOrEqualTo(20);
    assertThat(accounts).isGreaterThanOrEqualTo(15);
    assertThat(ev.get(ev.size() - 1).getText("EventID")).isEqualTo("4624");
  }

  @Test
  void rareDnsIsSeenBySysmonAndZeek() {
    List<Event> ev = of(Scenario.RARE_DNS);
    assertThat(ev)
        .anySatisfy(e -> assertThat(e.getText("QueryName")).endsWith(".trycloudflare.com"));
    assertThat(ev)
        .anySatisfy(
            e -> {
              assertThat(e.source().logType()).isEqualTo("zeek/dns");
              assertThat(e.getText("query")).endsWith(".trycloudflare.com");
            });
  }

  @Test
  void scheduledTaskCreatesATaskRunningFromAPublicFolder() {
    assertThat(of(Scenario.SCHEDULED_TASK))
        .anySatisfy(
            e -> {
              assertThat(e.getText("Image")).endsWith("\\schtasks.exe");
              assertThat(e.getText("CommandLine"))
                  .contains("/create")
                  .contains("C:\\Users\\Public\\");
            });
    assertThat(of(Scenario.SCHEDULED_TASK))
        .anySatisfy(e -> assertThat(e.getText("EventID")).isEqualTo("4698"));
  }

  @Test
  void backgroundOnlyHasNoTruth() throws IOException {
    Simulator.Options d = Simulator.Options.of(List.of(), 5000, 3);
    List<Simulator.Truth> none = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Simulator.Summary s = Simulator.run(d, out, none::add, n -> {});
    assertThat(none).isEmpty();
    assertThat(s.events()).isEqualTo(5000);
  }

  @Test
  void tinyRunsStillHoldEveryScenario() throws IOException {
    List<Simulator.Truth> t = new ArrayList<>();
    Simulator.Summary s =
        Simulator.run(options(2000, 1, 2), new ByteArrayOutputStream(), t::add, n -> {});
    assertThat(s.events()).isEqualTo(2000);
    assertThat(t.stream().map(Simulator.Truth::scenario).distinct())
        .hasSize(Scenario.values().length);
  }
}
