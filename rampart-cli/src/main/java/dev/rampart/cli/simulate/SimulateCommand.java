package dev.rampart.cli.simulate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.github.luben.zstd.ZstdOutputStream;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Progress;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Timestamps;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart simulate}: the security-event generator. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate realistic security events: a small organisation's benign activity (Sysmon, Windows",
      "Security and System, Linux auth, Zeek) with attack scenarios woven in, as NDJSON in Rampart's",
      "schema. The same seed always gives the same events. --truth writes which event ids belong to",
      "which attack, for measuring detection."
    },
    footer = {
      "",
      "Examples:",
      "  rampart simulate --list",
      "  rampart simulate --scenario all --events 1000000 --seed 7 --out sim.ndjson.gz --truth truth.ndjson",
      "  rampart simulate --scenario lsass-access --events 50000 | rampart events stats /dev/stdin",
      "  rampart simulate --scenario none --events 100000 --out background.ndjson",
    })
public final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = "--list",
      description = "List the scenarios with their ATT&CK techniques and exit.")
  boolean list;

  @Option(
      names = "--scenario",
      split = ",",
      paramLabel = "NAME",
      defaultValue = "all",
      description = "Scenarios to inject: names, 'all' or 'none' (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Number of events (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "-",
      description =
          "Output file; '-' for stdout; .gz and .zst compress (default: ${DEFAULT-VALUE}).")
  String out;

  @Option(
      names = "--truth",
      paramLabel = "FILE",
      description = "Write the ground truth (event id, scenario, technique) as NDJSON.")
  Path truth;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      description = "Time of the first event, ISO-8601 (default: 2026-01-05T00:00:00Z).")
  String start;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "24h",
      description = "Span of the timeline: 90s, 30m, 24h, 7d (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--hosts",
      paramLabel = "N",
      defaultValue = "50",
      description = "Number of workstations (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Generator threads (default: all cores; output is the same).")
  Integer threads;

  @Option(
      names = "--json",
      description = "With --list: print JSON. Otherwise: print the summary as JSON on stderr.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (list) {
      printList(System.out);
      return ExitCodes.OK;
    }
    if (events < 0) {
      throw new UsageException("--events must be 0 or more");
    }
    Simulator.Options defaults = Simulator.Options.of(List.of(), events, seed);
    Simulator.Options o =
        new Simulator.Options(
            parseScenarios(scenarios),
            events,
            seed,
            start == null ? defaults.startNanos() : parseStart(start),
            parseDuration(duration),
            hosts,
            threads == null ? defaults.threads() : threads);
    long t0 = System.nanoTime();
    Simulator.Summary summary;
    try (OutputStream os = open(out);
        TruthWriter tw = truth == null ? null : new TruthWriter(truth);
        Progress progress = Progress.start("simulate", events, "events")) {
      summary =
          Simulator.run(
              o,
              os,
              t -> {
                if (tw != null) {
                  tw.write(t);
                }
              },
              progress::set);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    PrintStream err = System.err;
    if (json) {
      err.printf(
          Locale.ROOT,
          "{\"events\":%d,\"attack_events\":%d,\"seconds\":%.3f,\"events_per_s\":%.0f}%n",
          summary.events(),
          summary.attackEvents(),
          secs,
          summary.events() / secs);
    } else {
      int instances = summary.instances().values().stream().mapToInt(Integer::intValue).sum();
      err.printf(
          Locale.ROOT,
          "wrote %,d events (%,d attack events in %d scenario instances) to %s in %.1f s (%,.0f events/s)%n",
          summary.events(),
          summary.attackEvents(),
          instances,
          out.equals("-") ? "stdout" : out,
          secs,
          summary.events() / secs);
    }
    return ExitCodes.OK;
  }

  static List<Scenario> parseScenarios(List<String> names) {
    Set<Scenario> set = EnumSet.noneOf(Scenario.class);
    for (String n : names) {
      String name = n.trim();
      if (name.equalsIgnoreCase("all")) {
        set.addAll(List.of(Scenario.values()));
      } else if (!name.equalsIgnoreCase("none") && !name.isEmpty()) {
        try {
          set.add(Scenario.byId(name));
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage() + " (known: " + Simulator.names() + ")");
        }
      }
    }
    return new ArrayList<>(set);
  }

  static long parseStart(String s) {
    try {
      return Timestamps.fromInstant(Instant.parse(s));
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "--start '" + s + "' is not an ISO-8601 instant such as 2026-01-05T00:00:00Z");
    }
  }

  static long parseDuration(String s) {
    try {
      String t = s.trim().toLowerCase(Locale.ROOT);
      char unit = t.charAt(t.length() - 1);
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      Duration d =
          switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new NumberFormatException();
          };
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d.toNanos();
    } catch (RuntimeException e) {
      throw new UsageException(
          "--duration '" + s + "': expected a positive number with s, m, h or d, such as 24h");
    }
  }

  private static OutputStream open(String out) throws IOException {
    if (out.equals("-")) {
      // Closing must not close System.out: the summary and the shell need it.
      return new BufferedOutputStream(
          new FilterOutputStream(System.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              super.out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
              flush();
            }
          },
          1 << 16);
    }
    Path p = Path.of(out);
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    OutputStream raw = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
    if (out.endsWith(".gz")) {
      // Level 1: the generator outruns gzip's default level by a factor of five.
      return new GZIPOutputStream(raw, 1 << 16) {
        {
          def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
      };
    }
    if (out.endsWith(".zst")) {
      return new ZstdOutputStream(raw);
    }
    return raw;
  }

  private void printList(PrintStream out) throws IOException {
    if (json) {
      JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
      g.writeStartArray();
      for (Scenario s : Scenario.values()) {
        g.writeStartObject();
        g.writeStringField("name", s.id());
        g.writeStringField("summary", s.summary());
        g.writeArrayFieldStart("techniques");
        for (String t : s.techniques()) {
          g.writeString(t);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeRaw('\n');
      g.flush();
      return;
    }
    int idWidth = "SCENARIO".length();
    int attackWidth = "ATT&CK".length();
    for (Scenario s : Scenario.values()) {
      idWidth = Math.max(idWidth, s.id().length());
      attackWidth = Math.max(attackWidth, String.join(",", s.techniques()).length());
    }
    String row = "%-" + idWidth + "s  %-" + attackWidth + "s  %s%n";
    out.printf(row, "SCENARIO", "ATT&CK", "WHAT HAPPENS");
    for (Scenario s : Scenario.values()) {
      out.printf(row, s.id(), String.join(",", s.techniques()), s.summary());
    }
  }

  /** Ground truth as NDJSON: one row per attack event. */
  private static final class TruthWriter implements AutoCloseable {
    private final JsonGenerator g;

    TruthWriter(Path file) throws IOException {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      g =
          new JsonFactory()
              .createGenerator(
                  new BufferedOutputStream(Files.newOutputStream(file)), JsonEncoding.UTF8);
      g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
    }

    void write(Simulator.Truth t) {
      try {
        g.writeStartObject();
        g.writeStringField("event.id", t.eventId());
        g.writeStringField("@timestamp", Timestamps.format(t.timestamp()));
        g.writeStringField("scenario", t.scenario().id());
        g.writeNumberField("instance", t.instance());
        g.writeStringField("technique", t.technique());
        g.writeStringField("step", t.step());
        g.writeEndObject();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      g.writeRaw('\n');
      g.close();
    }
  }
}
