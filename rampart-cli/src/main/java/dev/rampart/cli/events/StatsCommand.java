package dev.rampart.cli.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Kind;
import dev.rampart.core.io.Problem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart events stats}: a field profile of log files. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Profile the fields of logs (JSON: NDJSON, arrays, concatenated objects; Windows .evtx; text",
      "logs through the parsers; .gz and .zst too): for each field its types, how many events have it, an estimate of distinct values and the",
      "most frequent values; then the log types and every parse problem with file:line."
    },
    footer = {
      "",
      "Examples:",
      "  rampart events stats sysmon.ndjson.gz",
      "  rampart events stats logs/ --top 10",
      "  rampart events stats /var/log/auth.log Security.evtx   # what the parsers make of them",
      "  rampart events stats zeek-dns.json --raw --json > profile.json",
    })
public final class StatsCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or folders to profile.")
  List<Path> files;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "5",
      description = "Top values per field (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--raw",
      description =
          "Profile JSON fields as read, without normalization (EVTX and text logs are converted"
              + " as always).")
  boolean raw;

  @Mixin ReadingOptions reading;

  @Option(names = "--strict", description = "Stop with exit code 2 at the first bad record.")
  boolean strict;

  @Option(
      names = {"--json"},
      description = "Print one JSON object instead of tables.")
  boolean json;

  /** Values longer than this are cut for the top-values sketch (the distinct estimate sees all). */
  private static final int MAX_VALUE_CHARS = 120;

  private static final Kind[] KINDS = Kind.values();

  static final class FieldProfile {
    final String name;
    long count;
    final long[] kinds = new long[KINDS.length];
    final HllSketch distinct = new HllSketch(14);
    final ItemsSketch<String> frequent = new ItemsSketch<>(256);

    FieldProfile(String name) {
      this.name = name;
    }
  }

  private FieldProfile[] byId = new FieldProfile[256];
  private final Map<String, Long> logTypes = new TreeMap<>();

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    EventInput input =
        new EventInput(reading.options().withNormalizeJson(!raw), strict, System.err);
    long start = System.nanoTime();
    input.forEach(files, "stats", this::profile);
    double secs = (System.nanoTime() - start) / 1e9;
    List<FieldProfile> fields = new ArrayList<>();
    for (FieldProfile f : byId) {
      if (f != null) {
        fields.add(f);
      }
    }
    fields.sort(Comparator.comparingLong((FieldProfile f) -> -f.count).thenComparing(f -> f.name));
    if (json) {
      writeJson(out, input, fields);
    } else {
      writeTable(out, input, fields, secs);
    }
    return ExitCodes.OK;
  }

  private void profile(Event e) {
    logTypes.merge(
        e.source().logType().isEmpty() ? "(unknown)" : e.source().logType(), 1L, Long::sum);
    for (int i = 0; i < e.size(); i++) {
      int id = e.nameId(i);
      if (id >= byId.length) {
        byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
      }
      FieldProfile f = byId[id];
      if (f == null) {
        f = new FieldProfile(e.name(i));
        byId[id] = f;
      }
      f.count++;
      f.kinds[e.kind(i).ordinal()]++;
      String text = e.text(i);
      f.distinct.update(text);
      f.frequent.update(
          text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "…" : text);
    }
  }

  private static String types(FieldProfile f) {
    Map<Kind, Long> m = new EnumMap<>(Kind.class);
    for (Kind k : KINDS) {
      if (f.kinds[k.ordinal()] > 0) {
        m.put(k, f.kinds[k.ordinal()]);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Kind, Long> en : m.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(en.getKey().name().toLowerCase(Locale.ROOT));
      if (m.size() > 1) {
        sb.append(String.format(Locale.ROOT, "(%d%%)", 100 * en.getValue() / f.count));
      }
    }
    return sb.toString();
  }

  /**
   * The most frequent values that are certainly frequent: the sketch's no-false-positive rows,
   * counted by their lower bound, so a field whose values are all distinct shows none rather than
   * made-up counts.
   */
  private List<ItemsSketch.Row<String>> topValues(FieldProfile f) {
    ItemsSketch.Row<String>[] rows = f.frequent.getFrequentItems(ErrorType.NO_FALSE_POSITIVES);
    List<ItemsSketch.Row<String>> list = new ArrayList<>(Arrays.asList(rows));
    list.removeIf(r -> r.getLowerBound() < 2);
    list.sort(
        Comparator.comparingLong((ItemsSketch.Row<String> r) -> -r.getLowerBound())
            .thenComparing(ItemsSketch.Row::getItem));
    return list.subList(0, Math.min(top, list.size()));
  }

  private static long distinct(FieldProfile f) {
    return Math.min(f.count, Math.round(f.distinct.getEstimate()));
  }

  private static String oneLine(String s) {
    String t = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    return t.length() > 40 ? t.substring(0, 39) + "…" : t;
  }

  private void writeTable(PrintStream out, EventInput in, List<FieldProfile> fields, double secs) {
    out.printf(
        Locale.ROOT,
        "Files: %d   Events: %,d   Errors: %d   Warnings: %d   (%.1f s)%n%n",
        in.files(),
        in.events(),
        in.problems().errors(),
        in.problems().warnings(),
        secs);
    out.println("Log types:");
    logTypes.forEach((k, v) -> out.printf(Locale.ROOT, "  %-32s %,12d%n", k, v));
    out.println();
    int nameWidth =
        Math.min(48, Math.max(5, fields.stream().mapToInt(f -> f.name.length()).max().orElse(5)));
    out.printf(
        Locale.ROOT,
        "%-" + nameWidth + "s %10s %6s  %-22s %10s  %s%n",
        "FIELD",
        "COUNT",
        "%",
        "TYPES",
        "DISTINCT",
        "TOP VALUES (count)");
    for (FieldProfile f : fields) {
      StringBuilder topText = new StringBuilder();
      for (ItemsSketch.Row<String> r : topValues(f)) {
        if (topText.length() > 0) {
          topText.append(", ");
        }
        topText
            .append(oneLine(r.getItem()))
            .append(" (")
            .append(String.format(Locale.ROOT, "%,d", r.getLowerBound()))
            .append(')');
      }
      if (topText.length() == 0) {
        topText.append("(no value repeats often)");
      }
      String name = f.name.length() > nameWidth ? f.name.substring(0, nameWidth - 1) + "…" : f.name;
      out.printf(
          Locale.ROOT,
          "%-" + nameWidth + "s %,10d %5.1f%%  %-22s %,10d  %s%n",
          name,
          f.count,
          in.events() == 0 ? 0.0 : 100.0 * f.count / in.events(),
          types(f),
          distinct(f),
          topText);
    }
    if (in.problems().total() > 0) {
      out.printf(
          Locale.ROOT,
          "%nProblems: %d errors (records skipped), %d warnings (records kept); the first are above on stderr.%n",
          in.problems().errors(),
          in.problems().warnings());
    }
  }

  private void writeJson(PrintStream out, EventInput in, List<FieldProfile> fields)
      throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.writeStartObject();
    g.writeNumberField("files", in.files());
    g.writeNumberField("events", in.events());
    g.writeNumberField("errors", in.problems().errors());
    g.writeNumberField("warnings", in.problems().warnings());
    g.writeObjectFieldStart("log_types");
    for (Map.Entry<String, Long> en : logTypes.entrySet()) {
      g.writeNumberField(en.getKey(), en.getValue());
    }
    g.writeEndObject();
    g.writeArrayFieldStart("fields");
    for (FieldProfile f : fields) {
      g.writeStartObject();
      g.writeStringField("name", f.name);
      g.writeNumberField("count", f.count);
      g.writeObjectFieldStart("types");
      for (Kind k : KINDS) {
        if (f.kinds[k.ordinal()] > 0) {
          g.writeNumberField(k.name().toLowerCase(Locale.ROOT), f.kinds[k.ordinal()]);
        }
      }
      g.writeEndObject();
      g.writeNumberField("distinct_estimate", distinct(f));
      g.writeArrayFieldStart("top");
      for (ItemsSketch.Row<String> r : topValues(f)) {
        g.writeStartObject();
        g.writeStringField("value", r.getItem());
        g.writeNumberField("count", r.getLowerBound());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("problems");
    for (Problem p : in.problems().kept()) {
      g.writeStartObject();
      g.writeStringField("severity", p.severity().name().toLowerCase(Locale.ROOT));
      g.writeStringField("file", p.source());
      g.writeNumberField("line", p.line());
      g.writeNumberField("byte_offset", p.byteOffset());
      g.writeStringField("message", p.message());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeRaw('\n');
    g.flush();
  }
}
