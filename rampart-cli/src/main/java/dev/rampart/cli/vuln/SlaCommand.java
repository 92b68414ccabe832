package dev.rampart.cli.vuln;

import dev.rampart.cli.DataOptions;
import dev.rampart.vuln.track.VulnStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart vuln sla}: is patching on time? */
@Command(
    name = "sla",
    mixinStandardHelpOptions = true,
    description = {
      "Patch tracking per severity: open findings, how many are past their deadline, how many",
      "were fixed and the mean time to remediate, with the open findings of the last --days days."
    },
    footer = {"", "Examples:", "  rampart vuln sla", "  rampart vuln sla --days 90 --json"})
public final class SlaCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(names = "--days", defaultValue = "30", description = "Trend length (default: 30).")
  int days;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  private static final char[] BARS = " ▁▂▃▄▅▆▇█".toCharArray();

  @Override
  public Integer call() throws Exception {
    List<VulnStore.SlaRow> rows;
    List<VulnStore.TrendPoint> trend;
    try (Workspace w = Workspace.open(data)) {
      rows = w.store.slaReport();
      trend = w.store.trend(Math.max(1, Math.min(days, 3650)));
    }
    if (json) {
      StringBuilder b = new StringBuilder("{\"severities\":[");
      for (int i = 0; i < rows.size(); i++) {
        VulnStore.SlaRow r = rows.get(i);
        b.append(i == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"severity\":\"%s\",\"open\":%d,\"overdue\":%d,\"fixed\":%d,"
                        + "\"mttr_days\":%s,\"sla_days\":%.1f}",
                    r.severity(),
                    r.open(),
                    r.overdue(),
                    r.fixed(),
                    r.mttrDays() == null
                        ? "null"
                        : String.format(Locale.ROOT, "%.2f", r.mttrDays()),
                    r.slaDays()));
      }
      b.append("],\"trend\":[");
      for (int i = 0; i < trend.size(); i++) {
        VulnStore.TrendPoint t = trend.get(i);
        b.append(i == 0 ? "" : ",").append("{\"day\":\"").append(t.day()).append('"');
        t.open().forEach((k, v) -> b.append(",\"").append(k).append("\":").append(v));
        b.append('}');
      }
      System.out.println(b.append("]}"));
      return 0;
    }
    System.out.printf(
        "%-9s %6s %8s %6s %10s %8s%n", "SEVERITY", "OPEN", "OVERDUE", "FIXED", "MTTR", "SLA");
    for (VulnStore.SlaRow r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-9s %,6d %,8d %,6d %10s %7.0fd%n",
          r.severity(),
          r.open(),
          r.overdue(),
          r.fixed(),
          r.mttrDays() == null ? "-" : String.format(Locale.ROOT, "%.1fd", r.mttrDays()),
          r.slaDays());
    }
    // open findings per day, as a sparkline: the direction matters more than the numbers
    int max = 1;
    for (VulnStore.TrendPoint t : trend) {
      max = Math.max(max, t.open().values().stream().mapToInt(Integer::intValue).sum());
    }
    StringBuilder line = new StringBuilder();
    for (VulnStore.TrendPoint t : trend) {
      int n = t.open().values().stream().mapToInt(Integer::intValue).sum();
      line.append(BARS[(int) Math.round((BARS.length - 1) * (double) n / max)]);
    }
    System.out.printf(
        "%nopen findings, %s to %s (max %,d): %s%n",
        trend.get(0).day(), trend.get(trend.size() - 1).day(), max, line);
    return 0;
  }
}
