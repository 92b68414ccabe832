package dev.rampart.server.rules;

import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.rules.RuleSwitches;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.coverage.AttackCatalog;
import dev.rampart.sigma.coverage.AttackCoverage;
import dev.rampart.sigma.eval.Explainer;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.store.EventStore;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The detection rules the platform runs, for the people who tune them: search, the YAML as written,
 * switching a rule off and on, and testing a rule against recent stored events with the reference
 * interpreter's explanation of each match (or of why one chosen event did not match).
 */
public final class RuleCatalog {
  /** Most events one test reads. */
  public static final int MAX_TEST_EVENTS = 10_000;

  /** A rule as listed. {@code key} is its id, or its file when it has none. */
  public record Info(
      String key,
      String title,
      String level,
      String status,
      String logsource,
      List<String> tags,
      String file,
      String description,
      boolean enabled) {}

  /** One detection item's verdict: the field(s), the event's values, the rule's values. */
  public record Item(
      String key, String eventFields, String eventValues, String ruleValues, boolean matched) {}

  /** One search identifier's verdict. */
  public record Verdict(String search, boolean matched, List<Item> items) {}

  /** One tested event and why it matched (or not). */
  public record Result(
      long eventId,
      String time,
      String host,
      boolean matched,
      boolean applies,
      List<Verdict> why) {}

  /**
   * What a test found: events read, matches, and each match explained (the first 50), or the one
   * chosen event's explanation.
   */
  public record Test(int tested, int matched, List<Result> results, List<String> notes) {}

  /** An entry in the audit trail ({@code CaseStore::audit}). */
  @FunctionalInterface
  public interface Audit {
    void record(String actor, String action, String target, String detail) throws CaseException;
  }

  /**
   * How a backfill's alerts reach triage: the tenant an event belongs to, the filing itself, which
   * returns the alerts that were new (an alert id is the rule's and the event's, so one the live
   * detector or an earlier backfill already filed is kept once), and the audit trail it goes in.
   */
  public record Filing(
      java.util.function.Function<dev.rampart.core.event.EventSource, String> tenantOf,
      java.util.function.UnaryOperator<List<dev.rampart.alerting.alert.Alert>> file,
      Audit audit) {}

  private final SigmaEngine engine;
  private final EventStore store;
  private final Filing filing;
  private final RuleSwitches switches;
  private final Explainer explainer;
  private final List<dev.rampart.sigma.rule.SigmaCorrelation> correlations;
  private final Path attackFile;
  // the imported ATT&CK catalogue and the file time it was read at: re-read after an import
  private volatile AttackCatalog attack;
  private volatile long attackTime = -1;

  /**
   * @param attackFile where {@code rampart rules import-attack} keeps ATT&CK's data (it may be
   *     absent: coverage then goes by tags alone)
   */
  public RuleCatalog(
      SigmaEngine engine,
      EventStore store,
      RuleSwitches switches,
      List<dev.rampart.sigma.rule.SigmaCorrelation> correlations,
      Path attackFile) {
    this(engine, store, switches, correlations, attackFile, null);
  }

  /**
   * @param filing where backfilled alerts go; null: no backfills
   */
  public RuleCatalog(
      SigmaEngine engine,
      EventStore store,
      RuleSwitches switches,
      List<dev.rampart.sigma.rule.SigmaCorrelation> correlations,
      Path attackFile,
      Filing filing) {
    this.engine = engine;
    this.store = store;
    this.filing = filing;
    this.switches = switches;
    this.explainer = new Explainer(engine.mapping());
    this.correlations = List.copyOf(correlations);
    this.attackFile = attackFile;
  }

  /** ATT&CK's data as last imported, or null; read again when the file changes. */
  public AttackCatalog attack() {
    long t;
    try {
      t = Files.exists(attackFile) ? Files.getLastModifiedTime(attackFile).toMillis() : -1;
    } catch (IOException e) {
      t = -1;
    }
    if (t != attackTime) {
      synchronized (this) {
        if (t != attackTime) {
          try {
            attack = t < 0 ? null : AttackCatalog.fromStix(attackFile);
          } catch (IOException damaged) {
            attack = null; // coverage by tags alone; a new import mends it
          }
          attackTime = t;
        }
      }
    }
    return attack;
  }

  /** Days of alerts the coverage counts. */
  public static final int COVERAGE_DAYS = 30;

  /**
   * The coverage as a caller sees it: with the alerts of the last {@link #COVERAGE_DAYS} of {@code
   * tenants} (empty: all) from {@code queue} when {@code withAlerts} (they may read alerts).
   */
  public AttackCoverage.Coverage coverage(
      dev.rampart.cases.queue.AlertQueue queue,
      long nowMillis,
      java.util.Set<String> tenants,
      boolean withAlerts)
      throws CaseException {
    return coverage(
        withAlerts ? queue.techniques(nowMillis - COVERAGE_DAYS * 86_400_000L, tenants) : null,
        COVERAGE_DAYS);
  }

  /**
   * Which ATT&CK techniques the rules in force cover, by tactic ({@link AttackCoverage}), with the
   * alerts that named each technique ({@code alertsByTechnique}: id → alerts, null: not shown).
   */
  public AttackCoverage.Coverage coverage(java.util.Map<String, Long> alertsByTechnique, int days) {
    return AttackCoverage.of(
        engine.rules(),
        correlations,
        k -> !switches.isDisabled(k),
        alertsByTechnique,
        days,
        attack());
  }

  static String key(SigmaRule r) {
    return r.id() != null ? r.id() : r.file();
  }

  private Info info(SigmaRule r) {
    var ls = r.logsource();
    List<String> parts = new ArrayList<>();
    if (ls != null) {
      for (String p : new String[] {ls.product(), ls.category(), ls.service()}) {
        if (p != null) {
          parts.add(p);
        }
      }
    }
    return new Info(
        key(r),
        r.title(),
        r.level() == null ? "" : r.level().label(),
        r.status() == null ? "" : r.status(),
        String.join("/", parts),
        r.tags(),
        r.file() == null ? "" : r.file(),
        r.description() == null ? "" : r.description(),
        !switches.isDisabled(key(r)));
  }

  /**
   * Rules whose id, title, file or tags contain every word of {@code text} (any case), by title;
   * all when text is blank.
   */
  public List<Info> search(String text) {
    List<String> words =
        text == null || text.isBlank()
            ? List.of()
            : List.of(text.toLowerCase(Locale.ROOT).strip().split("\\s+"));
    List<Info> out = new ArrayList<>();
    for (SigmaRule r : engine.rules()) {
      Info i = info(r);
      String hay =
          (i.key()
                  + " "
                  + i.title()
                  + " "
                  + i.file()
                  + " "
                  + String.join(" ", i.tags())
                  + " "
                  + i.level()
                  + " "
                  + i.logsource())
              .toLowerCase(Locale.ROOT);
      if (words.stream().allMatch(hay::contains)) {
        out.add(i);
      }
    }
    out.sort(java.util.Comparator.comparing(Info::title, String.CASE_INSENSITIVE_ORDER));
    return out;
  }

  private SigmaRule rule(String key) throws CaseException {
    for (SigmaRule r : engine.rules()) {
      if (key(r).equals(key)) {
        return r;
      }
    }
    throw new CaseException(CaseException.Kind.NOT_FOUND, "no rule " + key);
  }

  public Info get(String key) throws CaseException {
    return info(rule(key));
  }

  /**
   * The rule's file as written (the whole file, when it holds several documents); only files of
   * loaded rules are ever read, found by the rule, never by a path from the request.
   */
  public String yaml(String key) throws CaseException {
    SigmaRule r = rule(key);
    if (r.file() == null) {
      return "";
    }
    try {
      Path f = Path.of(r.file());
      if (Files.size(f) > 1_000_000) {
        return "(the file is larger than 1 MB: " + f + ")";
      }
      return Files.readString(f);
    } catch (IOException | RuntimeException e) {
      return "(cannot read " + r.file() + ": " + e.getMessage() + ")";
    }
  }

  /** Switches the rule off or on (it must be a loaded rule). */
  public Info enable(String key, boolean enabled, String reason, String actor)
      throws CaseException {
    SigmaRule r = rule(key);
    switches.set(key(r), enabled, reason, actor);
    return info(r);
  }

  /**
   * Tests the rule against the newest {@code limit} stored events that match {@code filter} in
   * [from, to) within {@code scope} (the user's tenants); with {@code eventId} set, explains that
   * one event whether it matches or not.
   */
  public Test test(
      String key, String filter, long from, long to, int limit, Long eventId, String scope)
      throws CaseException, QueryException, IOException {
    SigmaRule r = rule(key);
    if (limit < 1 || limit > MAX_TEST_EVENTS) {
      throw new CaseException(
          CaseException.Kind.INVALID, "test 1 to " + MAX_TEST_EVENTS + " events");
    }
    String q = filter == null || filter.isBlank() ? "*" : filter.strip();
    List<Result> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int[] counts = new int[2];
    SearchRequest req =
        eventId != null
            ? SearchRequest.of("_id:" + eventId).withLimit(1).scoped(scope)
            : SearchRequest.of(q).range(from, to).withLimit(limit).scoped(scope);
    store.events(
        req,
        (e, id) -> {
          counts[0]++;
          Explainer.Explanation x = explainer.explain(r, e);
          if (x.matched()) {
            counts[1]++;
          }
          if ((x.matched() || eventId != null) && results.size() < 50) {
            results.add(result(x, e, id));
          }
        });
    if (eventId != null && counts[0] == 0) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no event " + eventId);
    }
    if (counts[1] > results.size() && eventId == null) {
      notes.add("the first " + results.size() + " of " + counts[1] + " matches are explained");
    }
    if (eventId == null && counts[0] == limit) {
      notes.add("read the newest " + limit + " events; narrow the filter or widen the limit");
    }
    return new Test(counts[0], counts[1], results, notes);
  }

  /** Most time a backtest reads for; what it read by then is its answer, said to be partial. */
  public static final java.time.Duration BACKTEST_BUDGET = java.time.Duration.ofSeconds(30);

  /** Matches explained in a backtest: the newest. */
  public static final int BACKTEST_EXPLAINED = 10;

  /** Hosts listed in a backtest: those with the most matches. */
  public static final int BACKTEST_HOSTS = 10;

  /** A count of matches under a key (a UTC day {@code 2026-03-01}, a host). */
  public record Count(String key, long count) {}

  /**
   * What a rule would have fired on over a window, with the compiled engine over every stored event
   * in it (not a sample): events read, matches, whether the whole window was read within {@link
   * #BACKTEST_BUDGET}, matches per UTC day (days without any included, so that a chart shows the
   * quiet ones), the hosts with the most, and the newest matches explained.
   */
  public record Backtest(
      long tested,
      long matched,
      boolean complete,
      List<Count> days,
      List<Count> hosts,
      List<Result> newest,
      List<String> notes) {}

  /** One thread's share of a backtest. */
  private static final class Tally {
    long matched;
    final java.util.Map<Long, long[]> days = new java.util.HashMap<>();
    final java.util.Map<String, long[]> hosts = new java.util.HashMap<>();
    // the newest matches as (time, id), oldest on top
    final java.util.PriorityQueue<long[]> newest =
        new java.util.PriorityQueue<>(
            java.util.Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));

    void add(Event e, long id) {
      matched++;
      days.computeIfAbsent(Math.floorDiv(e.timestamp(), DAY), k -> new long[1])[0]++;
      String h = host(e);
      if (!h.isEmpty() && (hosts.size() < 100_000 || hosts.containsKey(h))) {
        hosts.computeIfAbsent(h, k -> new long[1])[0]++;
      }
      newest.add(new long[] {e.timestamp(), id});
      if (newest.size() > BACKTEST_EXPLAINED) {
        newest.poll();
      }
    }
  }

  private static final long DAY = 86_400_000_000_000L;

  /**
   * Runs a visitor per thread over the stored events of [from, to) that {@code filter} matches,
   * within {@code scope} (the user's tenants), on half the cores so that ingestion and detection
   * keep theirs, for {@link #BACKTEST_BUDGET} at most: how backtests, backfills and hunts read.
   */
  private dev.rampart.store.search.Searcher.Scanned scanWindow(
      String filter,
      long from,
      long to,
      String scope,
      java.util.function.Supplier<dev.rampart.store.search.Searcher.Visitor> visitors)
      throws QueryException, IOException {
    String q = filter == null || filter.isBlank() ? "*" : filter.strip();
    return store.scan(
        SearchRequest.of(q).range(from, to).scoped(scope),
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        visitors,
        BACKTEST_BUDGET);
  }

  private static String shortened(String filter) {
    return filter.length() > 300 ? filter.substring(0, 300) + "…" : filter;
  }

  /** What a reader cut short by the budget says, with what to do about it. */
  private static List<String> budgetNotes(
      dev.rampart.store.search.Searcher.Scanned scanned, String advice) {
    return scanned.complete()
        ? List.of()
        : List.of(
            "stopped after "
                + BACKTEST_BUDGET.toSeconds()
                + " s: the counts are of the "
                + scanned.visited()
                + " events read so far; "
                + advice);
  }

  /**
   * Runs the rule (on or off) over every stored event in [from, to) that {@code filter} matches,
   * within {@code scope} (the user's tenants), on half the cores so that ingestion and detection
   * keep theirs.
   */
  public Backtest backtest(String key, String filter, long from, long to, String scope)
      throws CaseException, QueryException, IOException {
    SigmaRule r = rule(key);
    SigmaEngine one = SigmaEngine.compile(List.of(r), engine.mapping());
    List<Tally> tallies = java.util.Collections.synchronizedList(new ArrayList<>());
    dev.rampart.store.search.Searcher.Scanned scanned =
        scanWindow(
            filter,
            from,
            to,
            scope,
            () -> {
              dev.rampart.sigma.compile.SigmaMatcher m = one.newMatcher();
              Tally t = new Tally();
              tallies.add(t);
              return (e, id) -> {
                if (m.match(e) > 0) {
                  t.add(e, id);
                }
              };
            });
    Tally all = new Tally();
    for (Tally t : tallies) {
      all.matched += t.matched;
      t.days.forEach((d, c) -> all.days.computeIfAbsent(d, k -> new long[1])[0] += c[0]);
      t.hosts.forEach((h, c) -> all.hosts.computeIfAbsent(h, k -> new long[1])[0] += c[0]);
      for (long[] n : t.newest) {
        all.newest.add(n);
        if (all.newest.size() > BACKTEST_EXPLAINED) {
          all.newest.poll();
        }
      }
    }
    List<Count> days = new ArrayList<>();
    if (!all.days.isEmpty()) {
      long first = java.util.Collections.min(all.days.keySet());
      long last = java.util.Collections.max(all.days.keySet());
      if (from != Long.MIN_VALUE) {
        first = Math.min(first, Math.floorDiv(from, DAY));
      }
      if (to != Long.MAX_VALUE) {
        last = Math.max(last, Math.floorDiv(to - 1, DAY));
      }
      first = Math.max(first, last - 999); // a chart of at most 1,000 days
      for (long d = first; d <= last; d++) {
        long[] c = all.days.get(d);
        days.add(new Count(java.time.LocalDate.ofEpochDay(d).toString(), c == null ? 0 : c[0]));
      }
    }
    List<Count> hosts =
        all.hosts.entrySet().stream()
            .sorted(
                java.util.Map.Entry.<String, long[]>comparingByValue(
                        java.util.Comparator.comparingLong(c -> -c[0]))
                    .thenComparing(java.util.Map.Entry.comparingByKey()))
            .limit(BACKTEST_HOSTS)
            .map(x -> new Count(x.getKey(), x.getValue()[0]))
            .toList();
    List<long[]> newest = new ArrayList<>(all.newest);
    newest.sort(
        java.util.Comparator.<long[]>comparingLong(a -> -a[0]).thenComparingLong(a -> -a[1]));
    List<Result> explained = new ArrayList<>();
    for (long[] n : newest) {
      store.events(
          SearchRequest.of("_id:" + n[1]).withLimit(1).scoped(scope),
          (e, id) -> explained.add(result(explainer.explain(r, e), e, id)));
    }
    List<String> notes = budgetNotes(scanned, "narrow the window or the filter");
    return new Backtest(
        scanned.visited(), all.matched, scanned.complete(), days, hosts, explained, notes);
  }

  /** One rule's share of a hunt with the whole pack: matches, distinct hosts, the newest time. */
  public record PackHit(Info rule, long matched, long hosts, String newest) {}

  /**
   * What the whole pack would have fired on over a window: events read, whether the whole window
   * was read within {@link #BACKTEST_BUDGET}, and the rules that matched anything, most matches
   * first. The console's and API's form of {@code rampart hunt --store}; a rule's own backtest then
   * shows its days, hosts and explained matches.
   */
  public record PackHunt(long tested, boolean complete, List<PackHit> rules, List<String> notes) {}

  /** Distinct hosts counted per rule in a pack hunt; beyond it, "at least". */
  public static final int PACK_HUNT_HOSTS = 10_000;

  /** One thread's share of a pack hunt: per engine rule index. */
  private static final class PackTally {
    final long[] matched;
    final long[] newest;
    // made on a rule's first match: most rules of a pack match nothing
    final List<java.util.Set<String>> hosts;

    PackTally(int rules) {
      matched = new long[rules];
      newest = new long[rules];
      java.util.Arrays.fill(newest, Long.MIN_VALUE);
      hosts = new ArrayList<>(java.util.Collections.nCopies(rules, null));
    }

    void add(int rule, Event e) {
      matched[rule]++;
      newest[rule] = Math.max(newest[rule], e.timestamp());
      java.util.Set<String> s = hosts.get(rule);
      if (s == null) {
        s = new java.util.HashSet<>();
        hosts.set(rule, s);
      }
      String h = host(e);
      if (!h.isEmpty() && s.size() < PACK_HUNT_HOSTS) {
        s.add(h);
      }
    }
  }

  /**
   * Runs every rule of the pack, on or off, over the stored events in [from, to) that {@code
   * filter} matches, within {@code scope}, on half the cores and for {@link #BACKTEST_BUDGET} at
   * most, as a backtest does one rule.
   */
  public PackHunt huntPack(String filter, long from, long to, String scope)
      throws QueryException, IOException {
    int rules = engine.rules().size();
    List<PackTally> tallies = java.util.Collections.synchronizedList(new ArrayList<>());
    dev.rampart.store.search.Searcher.Scanned scanned =
        scanWindow(
            filter,
            from,
            to,
            scope,
            () -> {
              dev.rampart.sigma.compile.SigmaMatcher m = engine.newMatcher();
              PackTally t = new PackTally(rules);
              tallies.add(t);
              return (e, id) -> {
                int n = m.match(e);
                for (int i = 0; i < n; i++) {
                  t.add(m.matched(i), e);
                }
              };
            });
    List<PackHit> hits = new ArrayList<>();
    for (int i = 0; i < rules; i++) {
      long matched = 0;
      long newest = Long.MIN_VALUE;
      java.util.Set<String> hosts = new java.util.HashSet<>();
      for (PackTally t : tallies) {
        if (t.matched[i] > 0) {
          matched += t.matched[i];
          newest = Math.max(newest, t.newest[i]);
          hosts.addAll(t.hosts.get(i));
        }
      }
      if (matched > 0) {
        hits.add(
            new PackHit(
                info(engine.rules().get(i)),
                matched,
                Math.min(hosts.size(), PACK_HUNT_HOSTS),
                Timestamps.format(newest)));
      }
    }
    hits.sort(
        java.util.Comparator.comparingLong(PackHit::matched)
            .reversed()
            .thenComparing(h -> h.rule().title(), String.CASE_INSENSITIVE_ORDER));
    return new PackHunt(
        scanned.visited(),
        scanned.complete(),
        hits,
        budgetNotes(
            scanned,
            "narrow the window or the filter, or run rampart hunt --store, which has no time limit"));
  }

  /** Most alerts one backfill files; a rule that finds more wants tuning first. */
  public static final int BACKFILL_MAX = 1000;

  /**
   * What a backfill did: events read, matches, alerts filed now, and those filed before (by the
   * live detector or an earlier backfill) that were kept once.
   */
  public record Backfill(long tested, long matched, int filed, int already) {}

  /**
   * Files the alerts the rule would have raised on the stored events of [from, to) that {@code
   * filter} matches, within {@code scope}: for a rule switched on today, what it missed. The alerts
   * are the live detector's (same ids, fields and entities, detected now), so they go through
   * exceptions, suppression and incidents as any; filing twice adds nothing. Refused, filing
   * nothing, for a rule switched off, a window that takes longer than {@link #BACKTEST_BUDGET} to
   * read, or more than {@link #BACKFILL_MAX} matches. Audited.
   */
  public Backfill backfill(
      String key, String filter, long from, long to, String scope, String actor)
      throws CaseException, QueryException, IOException {
    SigmaRule r = rule(key);
    if (filing == null) {
      throw new CaseException(CaseException.Kind.INVALID, "backfills are not set up here");
    }
    if (switches.isDisabled(key(r))) {
      throw new CaseException(
          CaseException.Kind.CONFLICT,
          "the rule is switched off, so its alerts would go no further: switch it on first (a"
              + " backtest shows what it would find while off)");
    }
    if (!correlations.isEmpty()
        && new dev.rampart.sigma.correlate.Correlator(
                correlations, engine.rules(), dev.rampart.sigma.correlate.Correlator.Options.BATCH)
            .silenced(dev.rampart.sigma.correlate.Correlator.key(r))) {
      throw new CaseException(
          CaseException.Kind.CONFLICT,
          "the rule only feeds correlation rules (generate: false): the live detector raises no"
              + " alerts of its own for it, and neither does a backfill; a backtest shows its"
              + " matches");
    }
    SigmaEngine one = SigmaEngine.compile(List.of(r), engine.mapping());
    java.util.concurrent.atomic.AtomicLong matched = new java.util.concurrent.atomic.AtomicLong();
    List<dev.rampart.alerting.alert.Alert> alerts =
        java.util.Collections.synchronizedList(new ArrayList<>());
    long now = Timestamps.fromInstant(java.time.Instant.now()); // as the live detector's
    dev.rampart.store.search.Searcher.Scanned scanned =
        scanWindow(
            filter,
            from,
            to,
            scope,
            () -> {
              dev.rampart.sigma.compile.SigmaMatcher m = one.newMatcher();
              dev.rampart.alerting.alert.AlertBuilder builder =
                  new dev.rampart.alerting.alert.AlertBuilder(engine.mapping(), filing.tenantOf());
              return (e, id) -> {
                if (m.match(e) > 0 && matched.incrementAndGet() <= BACKFILL_MAX) {
                  alerts.add(builder.build(r, e, id, now));
                }
              };
            });
    if (!scanned.complete()) {
      throw new CaseException(
          CaseException.Kind.INVALID,
          "the window takes more than "
              + BACKTEST_BUDGET.toSeconds()
              + " s to read ("
              + scanned.visited()
              + " events by then): backfill a shorter window; nothing was filed");
    }
    if (matched.get() > BACKFILL_MAX) {
      throw new CaseException(
          CaseException.Kind.INVALID,
          "the rule matches "
              + matched.get()
              + " events in the window, more than "
              + BACKFILL_MAX
              + " alerts at once: narrow the window or the filter, or tune the rule (an exception,"
              + " a suppression) first; nothing was filed");
    }
    List<dev.rampart.alerting.alert.Alert> sorted = new ArrayList<>(alerts);
    sorted.sort(java.util.Comparator.comparingLong(dev.rampart.alerting.alert.Alert::eventTime));
    int fresh = sorted.isEmpty() ? 0 : filing.file().apply(sorted).size();
    filing
        .audit()
        .record(
            actor,
            "rule.backfill",
            key(r),
            matched.get()
                + " matched in "
                + scanned.visited()
                + " events, "
                + fresh
                + " alerts filed, "
                + Timestamps.format(from == Long.MIN_VALUE ? 0 : from)
                + " to "
                + (to == Long.MAX_VALUE ? "now" : Timestamps.format(to))
                + (filter == null || filter.isBlank() ? "" : ", " + shortened(filter.strip())));
    return new Backfill(scanned.visited(), matched.get(), fresh, sorted.size() - fresh);
  }

  private static Result result(Explainer.Explanation x, Event e, long id) {
    List<Verdict> why = new ArrayList<>();
    for (Explainer.SearchResult s : x.searches()) {
      List<Item> items = new ArrayList<>();
      for (Explainer.ItemResult i : s.items()) {
        items.add(
            new Item(
                i.key(),
                String.join(", ", i.eventFields()),
                clip(String.join(" | ", i.eventValues())),
                clip(
                    String.join(
                        " | ",
                        i.values().stream()
                            .map(v -> (v.matched() ? "✓ " : "✗ ") + v.value())
                            .toList())),
                i.matched()));
      }
      why.add(new Verdict(s.name(), s.matched(), items));
    }
    return new Result(id, Timestamps.format(e.timestamp()), host(e), x.matched(), x.applies(), why);
  }

  /** The event's host: the source that sent it, else its host.name; "" without either. */
  static String host(Event e) {
    String host = e.source().host();
    if (host.isEmpty()) {
      host = e.get("host.name") instanceof dev.rampart.core.event.Value.Str h ? h.value() : "";
    }
    return host;
  }

  private static String clip(String s) {
    return s.length() > 400 ? s.substring(0, 400) + " …" : s;
  }
}
