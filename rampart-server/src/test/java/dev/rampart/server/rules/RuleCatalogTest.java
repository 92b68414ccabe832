package dev.rampart.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.CaseStore;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backtest runs a rule over every stored event of a window: its counts equal a plain count of the
 * events it should match, per day (quiet days included) and per host, within the viewer's scope,
 * with the newest matches explained newest first.
 */
class RuleCatalogTest {
  @TempDir Path dir;

  static final String RULE =
      """
      title: Whoami Run
      id: 7e1d4c2a-1111-4a5b-9c3d-000000000001
      status: test
      logsource: {product: windows, category: process_creation}
      detection:
        selection: {Image|endswith: '\\\\whoami.exe'}
        condition: selection
      level: medium
      """;

  static final long MARCH_1 = Timestamps.fromInstant(Instant.parse("2026-03-01T00:00:00Z"));
  static final long DAY = 86_400_000_000_000L;

  static Event sysmon(long time, String host, String image) {
    Event e = new Event();
    e.timestamp(time);
    e.addString("rampart.log_type", "windows/sysmon");
    e.addString("Channel", "Microsoft-Windows-Sysmon/Operational");
    e.addLong("EventID", 1);
    e.addString("Computer", host);
    e.addString("Image", image);
    Normalizers.normalize(e);
    return e;
  }

  @Test
  void aBacktestCountsEveryMatchOfTheWindowByDayAndHost() throws Exception {
    Files.writeString(dir.resolve("whoami.yml"), RULE);
    var rules = Sigma.load(dir.resolve("whoami.yml"));
    assertThat(rules.errors()).isEmpty();
    SigmaEngine engine = Sigma.compile(rules);
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.defaults());
        CaseStore cases = CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      // day 1: ws-1 runs whoami 3 times, ws-2 once; day 2 quiet; day 3: ws-2 twice; notepad noise
      try (EventStore.Importer im = store.importer()) {
        long[][] runs = {{0, 1}, {0, 1}, {0, 1}, {0, 2}, {2, 2}, {2, 2}};
        int k = 0;
        for (long[] r : runs) {
          im.add(
              sysmon(
                  MARCH_1 + r[0] * DAY + (++k) * 60_000_000_000L,
                  "ws-" + r[1],
                  "C:\\Windows\\System32\\whoami.exe"));
        }
        for (int i = 0; i < 500; i++) {
          im.add(sysmon(MARCH_1 + (i % 3) * DAY + i, "ws-" + (i % 4), "C:\\Windows\\notepad.exe"));
        }
      }
      RuleCatalog catalog =
          new RuleCatalog(engine, store, cases.rules(), List.of(), dir.resolve("attack.json"));
      String key = "7e1d4c2a-1111-4a5b-9c3d-000000000001";

      RuleCatalog.Backtest all = catalog.backtest(key, null, MARCH_1, MARCH_1 + 3 * DAY, null);
      assertThat(all.complete()).isTrue();
      assertThat(all.notes()).isEmpty();
      assertThat(all.tested()).isEqualTo(506);
      assertThat(all.matched()).isEqualTo(6);
      assertThat(all.days())
          .containsExactly(
              new RuleCatalog.Count("2026-03-01", 4),
              new RuleCatalog.Count("2026-03-02", 0),
              new RuleCatalog.Count("2026-03-03", 2));
      assertThat(all.hosts())
          .containsExactly(new RuleCatalog.Count("ws-1", 3), new RuleCatalog.Count("ws-2", 3));
      assertThat(all.newest()).hasSize(6).allMatch(RuleCatalog.Result::matched);
      assertThat(all.newest().get(0).time()).startsWith("2026-03-03");
      assertThat(all.newest().get(5).time()).startsWith("2026-03-01");

      // a filter and a scope (a tenant's hosts) narrow it the same way a search would
      RuleCatalog.Backtest filtered =
          catalog.backtest(key, "host.name:ws-2", MARCH_1, MARCH_1 + 3 * DAY, null);
      assertThat(filtered.matched()).isEqualTo(3);
      RuleCatalog.Backtest scoped =
          catalog.backtest(key, null, MARCH_1, MARCH_1 + 3 * DAY, "host.name:ws-1");
      assertThat(scoped.matched()).isEqualTo(3);
      assertThat(scoped.hosts()).containsExactly(new RuleCatalog.Count("ws-1", 3));
      // the window bounds it: day 3 alone
      RuleCatalog.Backtest day3 =
          catalog.backtest(key, null, MARCH_1 + 2 * DAY, MARCH_1 + 3 * DAY, null);
      assertThat(day3.matched()).isEqualTo(2);
      assertThat(day3.days()).containsExactly(new RuleCatalog.Count("2026-03-03", 2));
    }
  }

  @Test
  void aHuntWithThePackCountsEachRulesMatchesAsItsOwnBacktestDoes() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rules.resolve("whoami.yml"), RULE);
    Files.writeString(
        rules.resolve("notepad.yml"),
        RULE.replace("Whoami Run", "Notepad Run")
            .replace("000000000001", "000000000002")
            .replace("whoami.exe", "notepad.exe"));
    Files.writeString(
        rules.resolve("calc.yml"),
        RULE.replace("Whoami Run", "Calc Run")
            .replace("000000000001", "000000000003")
            .replace("whoami.exe", "calc.exe"));
    var loaded = Sigma.load(rules);
    assertThat(loaded.errors()).isEmpty();
    SigmaEngine engine = Sigma.compile(loaded);
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.defaults());
        CaseStore cases = CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      try (EventStore.Importer im = store.importer()) {
        for (int i = 0; i < 6; i++) {
          im.add(
              sysmon(
                  MARCH_1 + (i % 3) * DAY + i,
                  "ws-" + (i % 2),
                  "C:\\Windows\\System32\\whoami.exe"));
        }
        for (int i = 0; i < 500; i++) {
          im.add(sysmon(MARCH_1 + (i % 3) * DAY + i, "ws-" + (i % 4), "C:\\Windows\\notepad.exe"));
        }
      }
      RuleCatalog catalog =
          new RuleCatalog(engine, store, cases.rules(), List.of(), dir.resolve("attack.json"));
      // a rule switched off is hunted too: what it would have found is what its owner asks
      catalog.enable("7e1d4c2a-1111-4a5b-9c3d-000000000002", false, "noisy", "admin");

      RuleCatalog.PackHunt hunt = catalog.huntPack(null, MARCH_1, MARCH_1 + 3 * DAY, null);
      assertThat(hunt.complete()).isTrue();
      assertThat(hunt.tested()).isEqualTo(506);
      assertThat(hunt.notes()).isEmpty();
      // the rules that matched, most matches first; calc matched nothing and is left out
      assertThat(hunt.rules())
          .extracting(
              h -> h.rule().title(), RuleCatalog.PackHit::matched, RuleCatalog.PackHit::hosts)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("Notepad Run", 500L, 4L),
              org.assertj.core.groups.Tuple.tuple("Whoami Run", 6L, 2L));
      assertThat(hunt.rules().get(0).rule().enabled()).isFalse();
      assertThat(hunt.rules().get(1).newest()).startsWith("2026-03-03");
      for (RuleCatalog.PackHit h : hunt.rules()) {
        RuleCatalog.Backtest one =
            catalog.backtest(h.rule().key(), null, MARCH_1, MARCH_1 + 3 * DAY, null);
        assertThat(one.matched()).as(h.rule().title()).isEqualTo(h.matched());
      }
      // a filter and a scope narrow it as they narrow a search
      assertThat(catalog.huntPack("host.name:ws-1", MARCH_1, MARCH_1 + 3 * DAY, null).rules())
          .extracting(RuleCatalog.PackHit::matched)
          .containsExactly(125L, 3L);
      assertThat(catalog.huntPack(null, MARCH_1, MARCH_1 + 3 * DAY, "host.name:ws-3").rules())
          .extracting(h -> h.rule().title())
          .containsExactly("Notepad Run");
    }
  }

  @Test
  void aBackfillFilesTheLiveDetectorsAlertsOnceAndRefusesWhatItShouldNot() throws Exception {
    Files.writeString(dir.resolve("whoami.yml"), RULE);
    Files.writeString(
        dir.resolve("any.yml"),
        RULE.replace("7e1d4c2a-1111-4a5b-9c3d-000000000001", "7e1d4c2a-1111-4a5b-9c3d-000000000002")
            .replace("Whoami Run", "Any Program")
            .replace("'\\\\whoami.exe'", "'.exe'"));
    var rules = Sigma.load(dir);
    assertThat(rules.errors()).isEmpty();
    assertThat(rules.rules()).hasSize(2);
    SigmaEngine engine = Sigma.compile(rules);
    java.util.Map<String, dev.rampart.alerting.alert.Alert> filed = new java.util.LinkedHashMap<>();
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.defaults());
        CaseStore cases = CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      RuleCatalog.Filing filing =
          new RuleCatalog.Filing(
              source -> "acme",
              found -> found.stream().filter(a -> filed.putIfAbsent(a.id(), a) == null).toList(),
              cases::audit);
      try (EventStore.Importer im = store.importer()) {
        for (int i = 0; i < 3; i++) {
          im.add(sysmon(MARCH_1 + i * 1000, "ws-1", "C:\\Windows\\System32\\whoami.exe"));
        }
        for (int i = 0; i < 1200; i++) { // another day: more programs than one backfill files
          im.add(sysmon(MARCH_1 + 5 * DAY + i, "ws-2", "C:\\Windows\\notepad.exe"));
        }
      }
      RuleCatalog catalog =
          new RuleCatalog(
              engine, store, cases.rules(), List.of(), dir.resolve("attack.json"), filing);
      String whoami = "7e1d4c2a-1111-4a5b-9c3d-000000000001";
      RuleCatalog.Backfill first =
          catalog.backfill(whoami, null, MARCH_1, MARCH_1 + DAY, null, "eve");
      assertThat(first).isEqualTo(new RuleCatalog.Backfill(3, 3, 3, 0));
      assertThat(filed.values())
          .allSatisfy(
              a -> {
                assertThat(a.id()).startsWith(whoami + "@");
                assertThat(a.tenant()).isEqualTo("acme");
                assertThat(a.entities().host()).isEqualTo("ws-1");
                assertThat(a.matched()).containsKey("Image");
              });
      // again: the same alert ids, so nothing new
      assertThat(catalog.backfill(whoami, null, MARCH_1, MARCH_1 + DAY, null, "eve"))
          .isEqualTo(new RuleCatalog.Backfill(3, 3, 0, 3));
      assertThat(cases.db().audit(5))
          .anyMatch(
              e ->
                  e.action().equals("rule.backfill")
                      && e.actor().equals("eve")
                      && e.detail().startsWith("3 matched in 3 events, 0 alerts filed"));
      // more than a backfill files at once: refused, nothing filed
      String any = "7e1d4c2a-1111-4a5b-9c3d-000000000002";
      assertThatThrownBy(() -> catalog.backfill(any, null, MARCH_1, MARCH_1 + 6 * DAY, null, "eve"))
          .hasMessageContaining("1203 events in the window, more than 1000");
      assertThat(filed).hasSize(3);
      // a rule that only feeds a correlation (generate: false) raises no alerts of its own
      Path withCorrelation = Files.createDirectories(dir.resolve("correlated"));
      Files.writeString(withCorrelation.resolve("whoami.yml"), RULE);
      Files.writeString(
          withCorrelation.resolve("many.yml"),
          """
          title: Whoami Many Times
          id: 7e1d4c2a-1111-4a5b-9c3d-000000000003
          correlation:
            type: event_count
            rules: [7e1d4c2a-1111-4a5b-9c3d-000000000001]
            group-by: [host.name]
            timespan: 1h
            condition: {gte: 3}
            generate: false
          level: high
          """);
      var correlated = Sigma.load(withCorrelation);
      assertThat(correlated.errors()).isEmpty();
      RuleCatalog feeding =
          new RuleCatalog(
              Sigma.compile(correlated),
              store,
              cases.rules(),
              correlated.correlations(),
              dir.resolve("attack.json"),
              filing);
      assertThatThrownBy(() -> feeding.backfill(whoami, null, MARCH_1, MARCH_1 + DAY, null, "eve"))
          .hasMessageContaining("only feeds correlation rules");
      // a rule switched off: its alerts would go nowhere
      cases.rules().set(whoami, false, "noisy", "eve");
      assertThatThrownBy(() -> catalog.backfill(whoami, null, MARCH_1, MARCH_1 + DAY, null, "eve"))
          .isInstanceOf(dev.rampart.cases.incident.CaseException.class)
          .hasMessageContaining("switched off");
    }
  }
}
