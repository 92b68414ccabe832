package dev.rampart.cli.events;

import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.json.JsonEventWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart events cat}: normalized NDJSON out. */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    description = {
      "Print events of JSON, Windows .evtx and text logs (read as rampart hunt reads them) as",
      "normalized NDJSON (native fields plus ECS, @timestamp first), optionally filtered with",
      "--where and cut down to --fields. Bad records are reported on stderr."
    },
    footer = {
      "",
      "Filters (--where, repeatable, all must hold):",
      "  field=value    the field's text equals value",
      "  field!=value   the field is missing or its text differs",
      "  field~text     the field's text contains text (ignoring case)",
      "",
      "Examples:",
      "  rampart events cat sysmon.ndjson --where EventID=1 --fields @timestamp,Computer,CommandLine",
      "  rampart events cat logs/ --where 'CommandLine~-enc' --limit 20",
      "  rampart events cat evtx-dump.json --raw | head",
      "  rampart events cat Security.evtx --where EventID=4625 --fields @timestamp,TargetUserName,IpAddress",
    })
public final class CatCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or folders to read.")
  List<Path> files;

  @Option(
      names = "--fields",
      split = ",",
      paramLabel = "FIELD",
      description = "Only these fields, in this order (@timestamp included when listed).")
  List<String> fields;

  @Option(
      names = "--where",
      paramLabel = "FILTER",
      description = "Keep events matching field=value, field!=value or field~text.")
  List<String> where = new ArrayList<>();

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "-1",
      description = "Stop after N events.")
  long limit;

  @Option(
      names = "--raw",
      description =
          "Print JSON events as read, without normalization (EVTX and text logs are converted"
              + " as always).")
  boolean raw;

  @Mixin ReadingOptions reading;

  @Option(names = "--strict", description = "Stop with exit code 2 at the first bad record.")
  boolean strict;

  private record Filter(int field, String op, String value) {
    boolean test(Event e) {
      int i = e.indexOf(field);
      return switch (op) {
        case "=" -> i >= 0 && e.text(i).equals(value);
        case "!=" -> i < 0 || !e.text(i).equals(value);
        default -> i >= 0 && e.text(i).toLowerCase(Locale.ROOT).contains(value);
      };
    }
  }

  private static Filter parse(String s) {
    int ne = s.indexOf("!=");
    int eq = s.indexOf('=');
    int ct = s.indexOf('~');
    if (ne > 0 && (eq < 0 || ne < eq)) {
      return new Filter(FieldNames.id(s.substring(0, ne)), "!=", s.substring(ne + 2));
    }
    if (eq > 0 && (ct < 0 || eq < ct)) {
      return new Filter(FieldNames.id(s.substring(0, eq)), "=", s.substring(eq + 1));
    }
    if (ct > 0) {
      return new Filter(
          FieldNames.id(s.substring(0, ct)), "~", s.substring(ct + 1).toLowerCase(Locale.ROOT));
    }
    throw new UsageException(
        "--where '" + s + "': expected field=value, field!=value or field~text");
  }

  @Override
  public Integer call() throws IOException {
    List<Filter> filters = where.stream().map(CatCommand::parse).toList();
    int[] projection =
        fields == null
            ? null
            : fields.stream()
                .filter(f -> !f.equals("@timestamp"))
                .mapToInt(FieldNames::id)
                .toArray();
    boolean keepTime = fields == null || fields.contains("@timestamp");
    EventInput input =
        new EventInput(reading.options().withNormalizeJson(!raw), strict, System.err);
    OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
    Event projected = new Event();
    long[] written = {0};
    try (JsonEventWriter out = new JsonEventWriter(stdout)) {
      try {
        input.forEach(
            files,
            "cat",
            e -> {
              if (limit >= 0 && written[0] >= limit) {
                return;
              }
              for (Filter f : filters) {
                if (!f.test(e)) {
                  return;
                }
              }
              try {
                out.write(projection == null ? e : project(e, projection, keepTime, projected));
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
              written[0]++;
            });
      } catch (UncheckedIOException ex) {
        throw ex.getCause();
      }
    }
    return ExitCodes.OK;
  }

  private static Event project(Event e, int[] names, boolean keepTime, Event into) {
    into.clear();
    if (keepTime) {
      into.timestamp(e.timestamp());
    }
    for (int id : names) {
      int i = e.indexOf(id);
      if (i >= 0) {
        into.addCopy(id, e, i);
      }
    }
    return into;
  }
}
