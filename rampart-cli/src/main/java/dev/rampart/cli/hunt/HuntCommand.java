package dev.rampart.cli.hunt;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.anomaly.Anomalies;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Progress;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.cli.rules.RuleOptions;
import dev.rampart.cli.search.SearchCommand;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.Csv;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.evtx.Evtx;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.correlate.Correlator;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.Level;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.SearchRequest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart hunt}: run Sigma rules over log files, all cores, and report what fired. */
@Command(
    name = "hunt",
    mixinStandardHelpOptions = true,
    description = {
      "Hunt through log files (Windows .evtx, NDJSON/JSON, text logs such as syslog, auth.log and",
      "audit.log through Rampart's parsers; .gz, .zst, zip and tar archives; folders recursively),",
      "or with --store the events in the event store, with Sigma rules on all cores. The summary",
      "gives per rule its level, ATT&CK tactics and techniques, hits, first and last seen and",
      "hosts; --timeline lists the matches in time order; --format json writes one object per",
      "(rule, event) match with the rule, the whole event and where it came from."
    },
    footer = {
      "",
      "Examples:",
      "  rampart hunt logs/ --rules sigma/rules --min-level high",
      "  rampart hunt C:/Windows/System32/winevt/Logs/ --rules sigma_core.zip   # .evtx files",
      "  rampart hunt seized/var/log/ --rules sigma/rules/linux   # auth.log, syslog, audit.log, rotated",
      "  rampart hunt uac-web-01-linux-20261205.tar.gz   # a UAC collection; zip archives too",
      "  rampart hunt sysmon.ndjson.gz --rules sigma_core.zip --format json --output hits.ndjson",
      "  rampart hunt logs/ --timeline --from 2026-01-05T08:00:00Z --to 2026-01-05T12:00:00Z",
      "  rampart hunt seized/Logs/ --anomalies --learn 2d   # new logon sources, rare programs, brute force",
      "  rampart hunt --store --rules new-rules/ --from -30d   # what new rules find in the stored events",
      "  rampart hunt --store --where 'host.name:ws-07' --timeline --from 2026-01-05T00:00:00Z",
      "",
      "Exit code 0 whether or not rules fire (the report is the result); --fail-on-match makes a",
      "match exit 1 for scripts and CI."
    })
public final class HuntCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "PATH",
      description =
          "Log files, folders, zip or tar archives (or --store instead). A file named is read"
              + " whatever its name; a folder or archive gives its .evtx, .json, .log, .txt,"
              + " compressed and syslog-named files (auth.log.1, messages-20261201, ...).")
  List<Path> paths = List.of();

  @Mixin ReadingOptions reading;

  @Option(
      names = "--store",
      description =
          "Hunt through the events in the event store (DATA/store) instead of files: a rule pack"
              + " tried on the history, or what a new rule would have found over the last 30"
              + " days. --from/--to bound it (default: all of it), --where narrows it.")
  boolean store;

  @Option(
      names = "--where",
      paramLabel = "QUERY",
      description =
          "With --store: only the events this filter of the query language matches"
              + " (docs/query-language.md), e.g. 'host.name:ws-0* AND event.code:1'.")
  String where;

  @Mixin DataOptions data;
  @Mixin RuleOptions ruleOptions;

  @Option(
      names = "--min-level",
      paramLabel = "LEVEL",
      description = "Only rules of this level or higher.")
  String minLevel;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Only events at or after this time: ISO-8601, or -7d, -24h, now.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "Only events before this time: ISO-8601, or -1h, now.")
  String to;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table (summary), json (one match per line) or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--timeline",
      description = "List the matched events in time order with their key fields.")
  boolean timeline;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write json/csv/timeline here instead of standard output.")
  Path output;

  @Option(
      names = "--mapping",
      paramLabel = "NAME|FILE",
      defaultValue = "default",
      description = "Log source mapping: default, ecs, universal or a YAML file.")
  String mapping;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--fail-on-match", description = "Exit with 1 when any rule matched.")
  boolean failOnMatch;

  @Option(
      names = "--anomalies",
      description =
          "Also run the anomaly detectors (first seen, rare in the fleet, volume spikes, brute"
              + " force) over the events in time order; each anomaly shows its baseline.")
  boolean anomalies;

  @Option(
      names = "--truth",
      paramLabel = "FILE",
      description =
          "Ground truth from 'rampart simulate --truth': scores the hunt per attack scenario"
              + " (detected by rules, correlations, anomalies) and counts matches on benign events.")
  Path truth;

  @Option(
      names = "--learn",
      paramLabel = "DURATION",
      description =
          "With --anomalies: how long first-seen and rarity detectors only learn before they"
              + " alert, e.g. 2h, 3d (default: 24h).")
  String learn;

  /** One match, with what every output format needs. */
  /**
   * One match. {@code line} is the JSON line, or for EVTX the EventRecordID, {@code offset} the
   * record's byte offset in the file (-1 for JSON).
   */
  private record Match(
      int rule,
      long time,
      String host,
      String file,
      long line,
      long offset,
      String eventJson,
      String summary) {
    boolean evtx() {
      return offset >= 0;
    }
  }

  private record FileResult(
      List<Match> matches,
      List<Correlator.Signal> signals,
      long events,
      long errors,
      Path file,
      LogFiles.Result read) {}

  @Override
  public Integer call() throws Exception {
    LogFiles.Options readOptions = reading.options(); // a wrong --parser or --zone: said first
    try (LogFiles.Inputs inputs = LogFiles.open(store ? List.of() : paths)) {
      return hunt(readOptions, inputs.files(), inputs.problems());
    }
  }

  private Integer hunt(LogFiles.Options readOptions, List<Path> files, List<Problem> unopened)
      throws Exception {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!List.of("table", "json", "csv").contains(fmt)) {
      throw new UsageException("--format must be table, json or csv");
    }
    if (store && !paths.isEmpty()) {
      throw new UsageException("--store hunts through the event store: give no files with it");
    }
    if (!store && paths.isEmpty()) {
      throw new UsageException(
          "give log files or folders to hunt through, or --store for the event store");
    }
    if (where != null && !store) {
      throw new UsageException("--where filters the event store: it goes with --store");
    }
    long now = Timestamps.fromInstant(Instant.now());
    long fromNs = from == null ? Long.MIN_VALUE : SearchCommand.time(from, now, "--from");
    long toNs = to == null ? Long.MAX_VALUE : SearchCommand.time(to, now, "--to");
    Path storeDir = data.dataDir().resolve("store");
    if (store && !Files.isDirectory(storeDir)) {
      throw new UsageException(
          "no event store in "
              + storeDir
              + ": rampart store import FILE or rampart serve fills it (or give --data DIR)");
    }
    SearchRequest storeRequest = SearchRequest.of(where == null ? "*" : where).range(fromNs, toNs);
    if (store) {
      try {
        dev.rampart.store.query.QueryParser.parse(storeRequest.query());
      } catch (QueryException e) {
        System.err.println(e.render(storeRequest.query()));
        return ExitCodes.USAGE;
      }
    }
    Level min = minLevel == null ? Level.INFORMATIONAL : Level.parse(minLevel);
    if (min == null) {
      throw new UsageException("--min-level must be informational, low, medium, high or critical");
    }
    Anomalies.Config anomalyConfig = anomalyConfig(); // before the work: a usage error is quick
    PrintStream err = System.err;
    RuleSet set = ruleOptions.load(ruleOptions.paths(data));
    set.errors().stream().limit(10).forEach(err::println);
    if (set.errors().size() > 10) {
      err.printf(
          "... %d more rule problems (rampart rules validate lists them)%n",
          set.errors().size() - 10);
    }
    Correlator correlator =
        set.correlations().isEmpty()
            ? null
            : new Correlator(set.correlations(), set.rules(), Correlator.Options.BATCH);
    // Rules that feed correlations run whatever their level; their own matches show when the level
    // and the correlations' generate say so.
    List<SigmaRule> rules =
        set.rules().stream()
            .filter(
                r ->
                    r.level().compareTo(min) >= 0
                        || (correlator != null && correlator.listensTo(Correlator.key(r))))
            .toList();
    if (rules.isEmpty()) {
      throw new UsageException("no rules to hunt with (check --rules and --min-level)");
    }
    SigmaEngine engine = SigmaEngine.compile(rules, LogsourceMapping.named(mapping));
    if (!store && files.isEmpty()) {
      if (!unopened.isEmpty()) {
        throw new UsageException(
            "no log files found in " + paths + ": " + unopened.get(0).message());
      }
      throw new UsageException("no log files found in " + paths);
    }
    boolean keepJson = fmt.equals("json");
    int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    AtomicLong seen = new AtomicLong();
    // Errors go to stderr as they happen, but a folder with one garbage file must not bury the
    // report: the first 20 are shown, the rest only counted.
    AtomicLong shown = new AtomicLong();
    Problems problems =
        new Problems(
            1000,
            p -> {
              if (p.isError()) {
                long k = shown.incrementAndGet();
                synchronized (err) {
                  if (k <= 20) {
                    err.println(p);
                  } else if (k == 21) {
                    err.println("rampart: more bad records not shown; the summary counts them all");
                  }
                }
              }
            });
    unopened.forEach(problems::report);
    // With --truth: the event id of every matched event, by its place (file:line, file#record)
    java.util.Map<String, String> ids =
        truth == null ? null : new java.util.concurrent.ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    List<FileResult> results = new ArrayList<>();
    List<AnomalyPass.Found> anomalous = List.of();
    Plan plan = new Plan(engine, correlator, min, fromNs, toNs, keepJson, seen, ids);
    if (store) {
      try (EventStore events = EventStore.open(storeDir, StoreOptions.defaults());
          Progress progress =
              Progress.start(
                  "hunt", events.search(storeRequest.withLimit(1)).matched(), "events")) {
        List<Hunter> hunters = java.util.Collections.synchronizedList(new ArrayList<>());
        events.scan(
            storeRequest,
            Math.max(1, n),
            () -> {
              Hunter h = new Hunter(engine.newMatcher(), plan, progress);
              hunters.add(h);
              return (e, id) -> h.accept(e, STORE, id, -1);
            },
            null);
        for (Hunter h : hunters) {
          results.add(h.result(0, null, null));
        }
        progress.set(seen.get());
        if (anomalies) {
          anomalous = AnomalyPass.run(events, storeRequest, anomalyConfig);
        }
      }
    } else {
      results = huntFiles(files, readOptions, plan, problems, n);
      if (anomalies) {
        anomalous = AnomalyPass.run(files, readOptions, anomalyConfig, fromNs, toNs);
      }
    }
    anomalous =
        anomalous.stream().filter(a -> Level.parse(a.alert().level()).compareTo(min) >= 0).toList();
    double secs = (System.nanoTime() - t0) / 1e9;
    List<Match> all = new ArrayList<>();
    List<Correlator.Match> correlated = new ArrayList<>();
    long events = 0;
    for (FileResult r : results) {
      all.addAll(r.matches());
      events += r.events();
    }
    if (correlator != null) {
      // Batch: every signal is held and taken in event-time order, so file order is irrelevant.
      for (FileResult r : results) {
        for (Correlator.Signal sig : r.signals()) {
          correlator.accept(sig, correlated::add);
        }
      }
      correlator.finish(correlated::add);
      correlated.removeIf(c -> c.rule().level().compareTo(min) < 0);
      correlated.sort(Comparator.comparingLong(Correlator.Match::first));
    }
    try (OutputStream os =
            output == null
                ? nonClosing(System.out)
                : new BufferedOutputStream(Files.newOutputStream(output));
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8)) {
      if (fmt.equals("json")) {
        writeJson(out, engine, all);
        writeCorrelationsJson(out, correlated);
        writeAnomaliesJson(out, anomalous);
      } else if (fmt.equals("csv")) {
        writeCsv(out, engine, all);
      }
      if (timeline) {
        writeTimeline(fmt.equals("table") ? out : System.out, engine, all);
      }
      if (fmt.equals("table") && !timeline) {
        writeSummary(out, engine, all);
      }
    }
    if (!fmt.equals("table") || timeline) {
      writeSummary(System.out, engine, all);
    }
    if (!correlated.isEmpty()) {
      writeCorrelations(System.out, correlated);
    }
    if (anomalies) {
      writeAnomalies(System.out, anomalous);
    }
    err.printf(
        Locale.ROOT,
        "%,d events in %s, %,d matches of %d rules (%d rules loaded, %d rejected), %d bad records, %.1f s, %,.0f events/s%n",
        events,
        store ? "the event store (" + storeDir + ")" : files.size() + " files",
        all.size(),
        all.stream().mapToInt(Match::rule).distinct().count(),
        set.loaded(),
        set.rejected(),
        problems.errors(),
        secs,
        events / Math.max(secs, 1e-9));
    readingNotes(results, err);
    if (correlator != null) {
      long fed =
          results.stream()
              .flatMap(r -> r.signals().stream())
              .filter(x -> correlator.silenced(x.source()))
              .count();
      err.printf(
          "%,d correlation matches; %,d matches of rules that only feed correlations are not"
              + " listed (generate: true lists them)%n",
          correlated.size(), fed);
    }
    if (anomalies) {
      err.printf("%,d anomalies%n", anomalous.size());
    }
    if (truth != null) {
      TruthScore.read(truth)
          .score(
              all.stream().map(x -> ids.get(x.file() + (x.evtx() ? "#" : ":") + x.line())).toList(),
              correlated.stream().map(c -> c.refs().stream().map(ids::get).toList()).toList(),
              anomalous.stream()
                  .map(
                      a ->
                          Map.entry(Objects.requireNonNullElse(a.eventId(), ""), a.alert().level()))
                  .toList(),
              events)
          .print(System.out);
    }
    return failOnMatch && (!all.isEmpty() || !correlated.isEmpty() || !anomalous.isEmpty())
        ? ExitCodes.FINDINGS
        : ExitCodes.OK;
  }

  private static OutputStream nonClosing(OutputStream o) {
    return new java.io.FilterOutputStream(o) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /**
   * What every unit of work of one hunt shares: the rules, the correlator (or null), the least
   * level listed, the time bounds, whether matches keep the event's JSON, the events seen so far,
   * and with --truth the event id of every matched event by its place.
   */
  private record Plan(
      SigmaEngine engine,
      Correlator correlator,
      Level min,
      long fromNs,
      long toNs,
      boolean keepJson,
      AtomicLong seen,
      java.util.Map<String, String> ids) {}

  /**
   * The steps for every event of one unit of work (a file, an EVTX chunk range, a thread's share of
   * the store): the time bounds, the rules, correlation signals, the matches kept.
   */
  private static final class Hunter {
    final SigmaMatcher m;
    final Plan plan;
    final Progress progress;
    final List<Match> matches = new ArrayList<>();
    final List<Correlator.Signal> signals = new ArrayList<>();
    long events;

    Hunter(SigmaMatcher m, Plan plan, Progress progress) {
      this.m = m;
      this.plan = plan;
      this.progress = progress;
    }

    /**
     * {@code e} from {@code name} at {@code line} (JSON line, EVTX record id, store _id), {@code
     * offset} the EVTX record's byte offset (-1 otherwise).
     */
    void accept(Event e, String name, long line, long offset) {
      events++;
      if ((events & 4095) == 0) {
        progress.set(plan.seen().addAndGet(4096));
      }
      if (e.hasTimestamp()
          ? e.timestamp() < plan.fromNs() || e.timestamp() >= plan.toNs()
          : plan.fromNs() != Long.MIN_VALUE || plan.toNs() != Long.MAX_VALUE) {
        return;
      }
      int n = m.match(e);
      java.util.Map<String, String> ids = plan.ids();
      if (n > 0 && ids != null) {
        String id = e.getText("event.id");
        if (id != null) {
          ids.put(place(name, line, offset), id);
        }
      }
      for (int i = 0; i < n; i++) {
        SigmaRule rule = plan.engine().rule(m.matched(i));
        Correlator correlator = plan.correlator();
        if (correlator != null) {
          String key = Correlator.key(rule);
          if (correlator.listensTo(key)) {
            java.util.Map<String, String> fields = new java.util.HashMap<>();
            for (String f : correlator.fieldsFor(key)) {
              String v = e.getText(f);
              if (v != null) {
                fields.put(f, v);
              }
            }
            signals.add(
                new Correlator.Signal(key, e.timestamp(), fields, place(name, line, offset)));
            if (correlator.silenced(key)) {
              continue;
            }
          }
        }
        if (rule.level().compareTo(plan.min()) < 0) {
          continue;
        }
        matches.add(
            new Match(
                m.matched(i),
                e.timestamp(),
                host(e),
                name,
                line,
                offset,
                plan.keepJson() ? json(e) : null,
                summary(e)));
      }
    }

    FileResult result(long errors, Path file, LogFiles.Result read) {
      plan.seen().addAndGet(events & 4095);
      return new FileResult(matches, signals, events, errors, file, read);
    }
  }

  /** The name matches from the event store carry in place of a file's. */
  static final String STORE = "store";

  /** The files on {@code threads} threads: one unit of work per file or EVTX chunk range. */
  private static List<FileResult> huntFiles(
      List<Path> files, LogFiles.Options reading, Plan plan, Problems problems, int threads)
      throws Exception {
    ThreadLocal<SigmaMatcher> matchers = ThreadLocal.withInitial(plan.engine()::newMatcher);
    List<FileResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try (Progress progress = Progress.start("hunt", 0, "events")) {
      List<Future<FileResult>> futures = new ArrayList<>();
      for (Path f : files) {
        // Large plain .evtx files are read in chunk ranges on several threads (chunks are
        // self-contained); everything else is one unit of work per file.
        List<Evtx.Range> ranges = LogFiles.units(f);
        for (Evtx.Range range : ranges) {
          futures.add(
              pool.submit(
                  () ->
                      huntFile(
                          f,
                          range,
                          reading,
                          new Hunter(matchers.get(), plan, progress),
                          problems)));
        }
      }
      for (Future<FileResult> fu : futures) {
        results.add(fu.get());
      }
      progress.set(plan.seen().get());
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  /** Where a match came from: {@code file:line}, EVTX {@code file#record}, {@code store:_id}. */
  static String place(String name, long line, long offset) {
    return name + (offset >= 0 ? "#" : ":") + line;
  }

  private static FileResult huntFile(
      Path file, Evtx.Range range, LogFiles.Options reading, Hunter h, Problems problems) {
    long before = problems.errors();
    String name = LogFiles.name(file);
    LogFiles.Result read = null;
    try {
      read =
          LogFiles.read(
              file, range, reading, problems, (e, line, off) -> h.accept(e, name, line, off));
    } catch (IOException ex) {
      problems.report(Problem.error(name, 0, -1, "cannot read: " + ex.getMessage()));
    } catch (RuntimeException ex) {
      // One broken file never ends the hunt.
      problems.report(Problem.error(name, 0, -1, "failed: " + ex));
    }
    return h.result(problems.errors() - before, file, read);
  }

  /**
   * Says, once per file, what was not read as a log: text lines no parser recognised (hunted as
   * their text, so keyword rules still see them; {@code rampart parse} shows each) and files that
   * are not logs at all. The first ten files each, then a count.
   */
  private static void readingNotes(List<FileResult> results, PrintStream err) {
    List<String> notes = new ArrayList<>();
    for (FileResult r : results) {
      LogFiles.Result read = r.read();
      if (read == null) {
        continue;
      }
      if (read.kind() == LogFiles.Kind.BINARY) {
        notes.add(LogFiles.name(r.file()) + ": not a log (binary), skipped");
      } else if (read.unparsed() > 0) {
        String what =
            read.parser().equals("auto")
                ? "in no format a parser recognises"
                : "failed the " + read.parser() + " parser";
        notes.add(
            String.format(
                Locale.ROOT,
                "%s: %,d of %,d lines %s (line %d: %s), hunted as plain text; rampart parse"
                    + " FILE --errors-only lists them",
                LogFiles.name(r.file()),
                read.unparsed(),
                read.events(),
                what,
                read.firstUnparsedLine(),
                read.why().message()));
      }
    }
    for (int i = 0; i < notes.size() && i < 10; i++) {
      err.println("rampart: " + notes.get(i));
    }
    if (notes.size() > 10) {
      err.printf("rampart: ... and %d more files like these%n", notes.size() - 10);
    }
  }

  // Network sensors (Zeek, Suricata) log no host name; the originating address stands in for it.
  private static final List<String> HOST_FIELDS =
      List.of("host.name", "Computer", "Hostname", "id.orig_h", "src_ip", "source.ip");

  private static String host(Event e) {
    for (String f : HOST_FIELDS) {
      String v = e.getText(f);
      if (v != null) {
        return v;
      }
    }
    return "";
  }

  private static final List<String> KEY_FIELDS =
      List.of(
          "EventID",
          "User",
          "user.name",
          "TargetUserName",
          "Image",
          "CommandLine",
          "ParentImage",
          "TargetImage",
          "QueryName",
          "query",
          "ServiceName",
          "source.ip",
          "message");

  private static String summary(Event e) {
    StringBuilder sb = new StringBuilder();
    for (String f : KEY_FIELDS) {
      String v = e.getText(f);
      if (v != null && !v.isEmpty()) {
        if (sb.length() > 0) {
          sb.append("  ");
        }
        sb.append(f).append('=').append(v.length() > 120 ? v.substring(0, 117) + "..." : v);
      }
    }
    return sb.toString().replace('\n', ' ').replace('\r', ' ');
  }

  private static String json(Event e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonEventWriter w = new JsonEventWriter(out)) {
      w.write(e);
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
    return out.toString(StandardCharsets.UTF_8).trim();
  }

  private static void writeJson(PrintStream out, SigmaEngine engine, List<Match> all)
      throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
    for (Match m : all) {
      SigmaRule r = engine.rule(m.rule());
      g.writeStartObject();
      g.writeObjectFieldStart("rule");
      g.writeStringField("id", r.id());
      g.writeStringField("title", r.title());
      g.writeStringField("level", r.level().label());
      g.writeArrayFieldStart("tags");
      for (String t : r.tags()) {
        g.writeString(t);
      }
      g.writeEndArray();
      g.writeEndObject();
      if (m.time() != Timestamps.UNSET) {
        g.writeStringField("@timestamp", Timestamps.format(m.time()));
      } else {
        g.writeNullField("@timestamp");
      }
      g.writeFieldName("event");
      g.writeRawValue(m.eventJson());
      g.writeObjectFieldStart("source");
      if (m.file().equals(STORE)) {
        g.writeNumberField("store_id", m.line()); // rampart search --id ID --context 5
      } else if (m.evtx()) {
        g.writeStringField("file", m.file());
        g.writeNumberField("record", m.line());
        g.writeNumberField("offset", m.offset());
      } else {
        g.writeStringField("file", m.file());
        g.writeNumberField("line", m.line());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    if (!all.isEmpty()) {
      g.writeRaw('\n');
    }
    g.flush();
  }

  private static void writeCsv(PrintStream out, SigmaEngine engine, List<Match> all) {
    out.println("timestamp,rule_id,level,title,host,file,line");
    // For EVTX files the line column holds the EventRecordID.
    for (Match m : all) {
      SigmaRule r = engine.rule(m.rule());
      out.println(
          Csv.row(
              m.time() == Timestamps.UNSET ? "" : Timestamps.format(m.time()),
              r.id(),
              r.level().label(),
              r.title(),
              m.host(),
              m.file(),
              m.line()));
    }
  }

  private static void writeTimeline(PrintStream out, SigmaEngine engine, List<Match> all) {
    List<Match> sorted = new ArrayList<>(all);
    sorted.sort(
        Comparator.comparingLong(Match::time)
            .thenComparing(Match::file)
            .thenComparingLong(Match::line));
    out.printf("%-30s  %-8s  %-22s  %-50s  %s%n", "TIME", "LEVEL", "HOST", "RULE", "EVENT");
    for (Match m : sorted) {
      SigmaRule r = engine.rule(m.rule());
      out.printf(
          "%-30s  %-8s  %-22s  %-50s  %s%n",
          m.time() == Timestamps.UNSET ? "-" : Timestamps.format(m.time()),
          r.level().shortLabel(),
          cut(m.host(), 22),
          cut(r.title(), 50),
          m.summary());
    }
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /** Per rule: level, hits, hosts, first and last seen, ATT&CK. Most severe and frequent first. */
  private static void writeSummary(PrintStream out, SigmaEngine engine, List<Match> all) {
    record Row(SigmaRule rule, long hits, long first, long last, Set<String> hosts) {}
    java.util.Map<Integer, long[]> stats = new java.util.HashMap<>();
    java.util.Map<Integer, Set<String>> hosts = new java.util.HashMap<>();
    for (Match m : all) {
      long[] s =
          stats.computeIfAbsent(m.rule(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
      s[0]++;
      if (m.time() != Timestamps.UNSET) {
        s[1] = Math.min(s[1], m.time());
        s[2] = Math.max(s[2], m.time());
      }
      Set<String> h = hosts.computeIfAbsent(m.rule(), k -> new LinkedHashSet<>());
      if (h.size() < 100 && !m.host().isEmpty()) {
        h.add(m.host());
      }
    }
    List<Row> rows = new ArrayList<>();
    stats.forEach((r, s) -> rows.add(new Row(engine.rule(r), s[0], s[1], s[2], hosts.get(r))));
    rows.sort(
        Comparator.comparing((Row r) -> r.rule().level())
            .reversed()
            .thenComparing(Comparator.comparingLong(Row::hits).reversed())
            .thenComparing(r -> r.rule().title()));
    out.printf(
        "%-8s  %7s  %5s  %-20s  %-20s  %-34s  %s%n",
        "LEVEL", "HITS", "HOSTS", "FIRST SEEN", "LAST SEEN", "ATT&CK", "RULE");
    for (Row r : rows) {
      String attack = String.join(",", r.rule().techniques());
      if (attack.isEmpty()) {
        attack = String.join(",", r.rule().tactics());
      }
      out.printf(
          "%-8s  %,7d  %5d  %-20s  %-20s  %-34s  %s%n",
          r.rule().level().shortLabel(),
          r.hits(),
          r.hosts().size(),
          time(r.first()),
          time(r.last()),
          cut(attack, 34),
          r.rule().title());
    }
    if (rows.isEmpty()) {
      out.println("(no rule matched)");
    }
    out.flush();
  }

  private static String time(long t) {
    if (t == Long.MAX_VALUE || t == Long.MIN_VALUE) {
      return "-";
    }
    String s = Timestamps.format(t);
    return s.length() > 19 ? s.substring(0, 19) : s;
  }

  /** The built-in anomaly detectors, with {@code --learn} as their learning period. */
  private Anomalies.Config anomalyConfig() {
    if (!anomalies) {
      if (learn != null) {
        throw new UsageException("--learn goes with --anomalies");
      }
      return Anomalies.Config.NONE;
    }
    Anomalies.Config d = Anomalies.Config.DEFAULTS;
    if (learn == null) {
      return d;
    }
    Duration l = dev.rampart.cases.yaml.Doc.duration(learn);
    if (l == null) {
      throw new UsageException("--learn '" + learn + "': a duration such as 2h, 3d or 1w");
    }
    return new Anomalies.Config(
        d.firstSeen().stream()
            .map(
                f ->
                    new Anomalies.FirstSeen(
                        f.name(),
                        f.title(),
                        f.entity(),
                        f.value(),
                        f.only(),
                        l,
                        f.maxEntities(),
                        f.maxValuesPerEntity(),
                        f.level()))
            .toList(),
        d.spikes(),
        d.bruteForce(),
        d.rare().stream()
            .map(
                r ->
                    new Anomalies.Rare(
                        r.name(),
                        r.title(),
                        r.host(),
                        r.value(),
                        r.only(),
                        r.maxHosts(),
                        r.minFleet(),
                        l,
                        r.maxValues(),
                        r.level()))
            .toList());
  }

  /**
   * One JSON object per anomaly, after the correlations: {@code anomaly} (id, title, level), the
   * time, the baseline that made it unusual, the matched values, the entities and the event.
   */
  private static void writeAnomaliesJson(PrintStream out, List<AnomalyPass.Found> all)
      throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
    for (AnomalyPass.Found f : all) {
      Alert a = f.alert();
      g.writeStartObject();
      g.writeObjectFieldStart("anomaly");
      g.writeStringField("id", a.ruleId());
      g.writeStringField("title", a.title());
      g.writeStringField("level", a.level());
      g.writeEndObject();
      g.writeStringField("time", Timestamps.format(a.eventTime()));
      List<String> baseline = a.matched().get("baseline");
      g.writeStringField("baseline", baseline == null ? "" : baseline.get(0));
      g.writeObjectFieldStart("matched");
      for (var e : a.matched().entrySet()) {
        if (!e.getKey().equals("baseline")) {
          g.writeStringField(e.getKey(), String.join(", ", e.getValue()));
        }
      }
      g.writeEndObject();
      g.writeObjectFieldStart("entities");
      Alert.Entities x = a.entities();
      writeIfSet(g, "host", x.host());
      writeIfSet(g, "user", x.user());
      writeIfSet(g, "source_ip", x.sourceIp());
      writeIfSet(g, "process", x.process());
      g.writeEndObject();
      g.writeArrayFieldStart("events");
      g.writeStartObject();
      g.writeStringField("source", f.source());
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
    if (!all.isEmpty()) {
      g.writeRaw('\n');
    }
    g.flush();
  }

  private static void writeIfSet(JsonGenerator g, String k, String v) throws IOException {
    if (v != null) {
      g.writeStringField(k, v);
    }
  }

  private static void writeAnomalies(PrintStream out, List<AnomalyPass.Found> all) {
    out.printf(
        "%nANOMALIES (%d)%n%-8s  %-20s  %-28s  %s%n",
        all.size(), "LEVEL", "TIME", "DETECTOR", "WHAT / BASELINE");
    for (AnomalyPass.Found f : all) {
      Alert a = f.alert();
      List<String> baseline = a.matched().get("baseline");
      out.printf(
          Locale.ROOT,
          "%-8s  %-20s  %-28s  %s%n%62s%s%n",
          Level.parse(a.level()).shortLabel(),
          time(a.eventTime()),
          cut(a.ruleId().substring("anomaly:".length()), 28),
          a.title(),
          "",
          baseline == null ? "" : baseline.get(0));
    }
    out.flush();
  }

  /** One JSON object per correlation match, after the single-event matches. */
  private static void writeCorrelationsJson(PrintStream out, List<Correlator.Match> all)
      throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
    for (Correlator.Match c : all) {
      g.writeStartObject();
      g.writeObjectFieldStart("rule");
      g.writeStringField("id", c.rule().id());
      g.writeStringField("title", c.rule().title());
      g.writeStringField("level", c.rule().level().label());
      g.writeStringField("type", c.rule().type());
      g.writeEndObject();
      g.writeObjectFieldStart("group");
      for (var e : c.group().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeStringField("first", Timestamps.format(c.first()));
      g.writeStringField("last", Timestamps.format(c.last()));
      g.writeNumberField("value", c.value());
      g.writeArrayFieldStart("events");
      for (String ref : c.refs()) {
        g.writeStartObject();
        g.writeStringField("source", ref);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    if (!all.isEmpty()) {
      g.writeRaw('\n');
    }
    g.flush();
  }

  private static void writeCorrelations(PrintStream out, List<Correlator.Match> all) {
    out.printf(
        "%nCORRELATIONS%n%-8s  %-20s  %-20s  %8s  %-16s  %-40s  %s%n",
        "LEVEL", "FIRST", "LAST", "VALUE", "TYPE", "GROUP", "RULE");
    for (Correlator.Match c : all) {
      String group =
          String.join(
              ", ",
              c.group().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
      out.printf(
          Locale.ROOT,
          "%-8s  %-20s  %-20s  %8.6s  %-16s  %-40s  %s%n",
          c.rule().level().shortLabel(),
          time(c.first()),
          time(c.last()),
          c.value() == Math.rint(c.value())
              ? Long.toString((long) c.value())
              : Double.toString(c.value()),
          c.rule().type(),
          cut(group, 40),
          c.rule().title());
    }
    out.flush();
  }
}
