package dev.rampart.cli.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Timestamps;
import dev.rampart.sigma.rule.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart alerts}: what real-time detection found, newest first. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "List the alerts real-time detection wrote (rampart serve follows the spool with the rule",
      "packs; DATA/alerts/alerts.ndjson), newest first: time, level, rule, entities, ATT&CK."
    },
    footer = {
      "",
      "Examples:",
      "  rampart alerts",
      "  rampart alerts --min-level high --limit 20",
      "  rampart alerts --json | jq -r '.[].entities.host' | sort | uniq -c"
    })
public final class AlertsCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(names = "--limit", defaultValue = "50", description = "Most alerts shown (default 50).")
  int limit;

  @Option(
      names = "--min-level",
      paramLabel = "LEVEL",
      description = "Only this level and above (informational, low, medium, high, critical).")
  String minLevel;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Level min = minLevel == null ? null : Level.parse(minLevel);
    if (minLevel != null && min == null) {
      throw new UsageException(
          "--min-level is informational, low, medium, high or critical, not '" + minLevel + "'");
    }
    List<Alert> all = AlertLog.read(data.dataDir().resolve("alerts").resolve("alerts.ndjson"));
    List<Alert> shown = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && shown.size() < limit; i--) {
      Alert a = all.get(i);
      Level l = Level.parse(a.level());
      if (min == null || (l != null && l.ordinal() >= min.ordinal())) {
        shown.add(a);
      }
    }
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(shown));
      return 0;
    }
    for (Alert a : shown) {
      var e = a.entities();
      List<String> who = new ArrayList<>();
      if (e.host() != null) {
        who.add("host=" + e.host());
      }
      if (e.user() != null) {
        who.add("user=" + e.user());
      }
      if (e.sourceIp() != null) {
        who.add("src=" + e.sourceIp());
      }
      if (e.process() != null) {
        who.add("process=" + e.process());
      }
      System.out.printf(
          "%s  %-8s  %s  %s  %s  event %s%n",
          Timestamps.format(a.eventTime()),
          a.level(),
          a.title(),
          String.join(" ", who),
          a.techniques().isEmpty() ? "" : String.join(",", a.techniques()),
          a.eventIds().isEmpty() ? "-" : a.eventIds().get(0));
    }
    System.err.printf("%d of %d alerts shown%n", shown.size(), all.size());
    return 0;
  }
}
