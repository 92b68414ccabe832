package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Value;
import dev.rampart.store.search.Reference;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The store's answers equal a brute-force scan ({@link Reference}) over the same events, for
 * generated queries: the matching ids in order, the count, and stats and timechart tables (the
 * doc-values aggregation and, after a where, the row aggregation). Each failure prints its seed.
 */
class SearchPropertyTest {
  static final long DAY = 86_400_000_000_000L;
  static final long T0 = 1_767_571_200_000_000_000L; // 2026-01-05T00:00:00Z
  static final String[] USERS = {"alice", "Bob", "root", "SYSTEM", "ADMIN$", "o'neil"};
  static final String[] HOSTS = {"ws-01", "ws-02", "srv-db", "DC01"};
  static final String[] MESSAGES = {
    "Failed password for root from 10.0.0.1 port 22",
    "Accepted publickey for alice",
    "session opened for user Bob",
    "C:\\Windows\\System32\\cmd.exe /c whoami",
    "powershell -enc SQBFAFgA"
  };
  static final String[] IPS = {
    "10.0.0.7", "10.0.0.200", "10.1.2.3", "192.168.1.5", "2001:db8::1", "fe80::1"
  };
  static final String[] WORDS = {
    "failed", "password", "root", "cmd", "exe", "whoami", "session", "for", "nothing"
  };

  static Path dir;
  static EventStore store;
  static List<Reference.Stored> events = new ArrayList<>();

  @BeforeContainer
  static void load() throws Exception {
    dir = Files.createTempDirectory("store-prop");
    store = EventStore.open(dir, StoreOptions.defaults());
    Random rnd = new Random(42);
    long id;
    EventStore.Importer importer = store.importer();
    id = dev.rampart.store.mapping.StoreFields.IMPORT_BASE;
    try (importer) {
      for (int i = 0; i < 1500; i++) {
        Event e = event(rnd, i);
        importer.add(e);
        events.add(new Reference.Stored(id++, e.copy()));
      }
    }
  }

  static Event event(Random rnd, int i) {
    Event e = new Event();
    e.timestamp(T0 + (long) (rnd.nextDouble() * 3 * DAY));
    e.source(new EventSource("test", HOSTS[rnd.nextInt(HOSTS.length)], "linux/auth"));
    if (rnd.nextInt(10) > 0) {
      e.addString("user.name", USERS[rnd.nextInt(USERS.length)]);
    }
    e.addString("host.name", HOSTS[rnd.nextInt(HOSTS.length)]);
    e.addString("message", MESSAGES[rnd.nextInt(MESSAGES.length)]);
    if (rnd.nextInt(5) > 0) {
      int pid = rnd.nextInt(500);
      if (i > 0 && rnd.nextInt(10) == 0) {
        // converted to the long field; in hex as Windows Security writes process ids
        e.addString(
            "process.pid",
            rnd.nextBoolean() ? Integer.toString(pid) : "0x" + Integer.toHexString(pid));
      } else {
        e.addLong("process.pid", pid);
      }
    }
    e.add("score", new Value.Float64(rnd.nextInt(40) * 0.25));
    if (rnd.nextBoolean()) {
      e.add("source.ip", new Value.Ip(IpAddress.parse(IPS[rnd.nextInt(IPS.length)])));
    }
    e.add("flag", Value.Bool.of(rnd.nextBoolean()));
    if (rnd.nextInt(3) > 0) {
      List<Value> tags = new ArrayList<>();
      for (String t : new String[] {"a", "b", "c"}) {
        if (rnd.nextBoolean()) {
          tags.add(new Value.Str(t));
        }
      }
      e.add("tags", new Value.ListValue(tags));
    }
    e.addString("event.code", Integer.toString(4624 + rnd.nextInt(4)));
    return e;
  }

  @AfterContainer
  static void close() throws Exception {
    store.close();
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String atom(Random r) {
    String user = USERS[r.nextInt(USERS.length)];
    return switch (r.nextInt(18)) {
      case 0 -> "user.name:" + (r.nextBoolean() ? user : user.toUpperCase(java.util.Locale.ROOT));
      case 1 -> "user.name:" + user.substring(0, 1 + r.nextInt(user.length() - 1)) + "*";
      case 2 -> "host.name:*" + HOSTS[r.nextInt(HOSTS.length)].substring(2);
      case 3 -> "host.name:ws-0?";
      case 4 -> "message:" + WORDS[r.nextInt(WORDS.length)];
      case 5 ->
          "message:\""
              + WORDS[r.nextInt(WORDS.length)]
              + " "
              + WORDS[r.nextInt(WORDS.length)]
              + "\"";
      case 6 -> "message:*cmd.exe*";
      case 7 -> {
        int a = r.nextInt(500);
        int b = a + r.nextInt(200);
        yield "process.pid:"
            + (r.nextBoolean() ? "[" : "{")
            + a
            + " TO "
            + b
            + (r.nextBoolean() ? "]" : "}");
      }
      case 8 -> "process.pid:" + (r.nextBoolean() ? ">=" : "<") + r.nextInt(500);
      case 9 -> "score:[" + r.nextInt(5) + " TO " + (5 + r.nextInt(5)) + "]";
      case 10 ->
          "source.ip:"
              + new String[] {"10.0.0.0/24", "10.0.0.0/8", "2001:db8::/32", "10.1.2.3"}
                  [r.nextInt(4)];
      case 11 -> r.nextBoolean() ? "user.name:*" : "tags:*";
      case 12 -> "flag:" + r.nextBoolean();
      case 13 -> "tags:" + "abc".charAt(r.nextInt(3));
      case 14 -> "user.name:[a TO n]";
      case 15 -> "event.code:(4624 OR 4626)";
      case 16 -> WORDS[r.nextInt(WORDS.length)]; // a bare word: the message
      default -> "source.ip:[10.0.0.0 TO 10.0.0.255]";
    };
  }

  static String filter(Random r, int depth) {
    if (depth == 0 || r.nextInt(3) == 0) {
      return atom(r);
    }
    return switch (r.nextInt(4)) {
      case 0 -> "(" + filter(r, depth - 1) + " OR " + filter(r, depth - 1) + ")";
      case 1 -> filter(r, depth - 1) + " AND " + filter(r, depth - 1);
      case 2 -> "NOT " + filter(r, depth - 1);
      default -> filter(r, depth - 1) + " " + filter(r, depth - 1);
    };
  }

  static SearchRequest request(Random r, String q) {
    SearchRequest req = SearchRequest.of(q).withLimit(SearchRequest.MAX_LIMIT);
    if (r.nextInt(3) == 0) {
      long from = T0 + (long) (r.nextDouble() * 2 * DAY);
      req = req.range(from, from + DAY / 2 + (long) (r.nextDouble() * DAY));
    }
    return req;
  }

  @Property(tries = 150)
  void filtersMatchTheScan(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    SearchRequest req = request(r, r.nextInt(10) == 0 ? "*" : filter(r, 3));
    SearchResult got = store.search(req);
    var want = new Reference(store.mapping()).search(events, req);
    assertThat(ids(got.rows())).as("seed %d: %s", seed, req.query()).isEqualTo(ids(want.rows()));
    assertThat(got.matched()).as("seed %d: %s", seed, req.query()).isEqualTo(want.rows().size());
  }

  /** A scope (the tenant filter) narrows exactly as an AND would, pipes included. */
  @Property(tries = 60)
  void aScopeIsAnAndTheQueryCannotSee(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    String f = filter(r, 2);
    String scope = filter(r, 2);
    SearchRequest scoped = request(r, f).scoped(scope);
    var want =
        new Reference(store.mapping())
            .search(
                events,
                new SearchRequest(
                    "(" + f + ") AND (" + scope + ")",
                    scoped.fromNanos(),
                    scoped.toNanos(),
                    scoped.limit(),
                    null,
                    scoped.timeout(),
                    scoped.scanLimit(),
                    false,
                    null));
    SearchResult got = store.search(scoped);
    assertThat(ids(got.rows()))
        .as("seed %d: %s within %s", seed, f, scope)
        .isEqualTo(ids(want.rows()));
    SearchResult counted = store.search(scoped.withLimit(1).scoped(scope));
    assertThat(counted.matched()).isEqualTo(want.rows().size());
  }

  @Property(tries = 80)
  void aggregationsMatchTheScan(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    String f = r.nextInt(4) == 0 ? "*" : filter(r, 2);
    String pipe =
        switch (r.nextInt(6)) {
          case 0 ->
              " | stats count(), dc(source.ip), min(process.pid), max(process.pid), sum(process.pid),"
                  + " avg(score), count(tags) by host.name";
          case 1 -> " | stats count(), dc(user.name) by tags";
          case 2 -> " | stats count(), max(score) by event.code, flag";
          case 3 -> " | timechart span=6h count() by host.name";
          case 4 -> " | where process.pid > 250 | stats count() by user.name";
          default -> " | stats count() by source.ip | sort -count() | head 3";
        };
    SearchRequest req = request(r, f + pipe);
    if (pipe.contains("timechart")) {
      req = req.range(T0, T0 + 3 * DAY);
    }
    SearchResult got = store.search(req);
    var want = new Reference(store.mapping()).search(events, req);
    assertThat(got.columns()).as("seed %d: %s", seed, req.query()).isEqualTo(want.columns());
    assertThat(got.rows()).as("seed %d: %s", seed, req.query()).isEqualTo(want.rows());
  }

  @net.jqwik.api.Example
  void aScanCutShortSaysSo() throws Exception {
    // a where before stats reads events; with a scan limit below the matches, the answer is
    // marked partial and the note says why
    SearchRequest req =
        new SearchRequest(
            "* | where process.pid > 1 | stats count()",
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            100,
            null,
            java.time.Duration.ofSeconds(30),
            100,
            false,
            null);
    SearchResult r = store.search(req);
    assertThat(r.partial()).isTrue();
    assertThat(r.notes()).anyMatch(n -> n.contains("scan limit"));
    assertThat((Long) r.rows().get(0).get("count()")).isLessThanOrEqualTo(100L);
    // a page of events says where the next one starts
    SearchResult page = store.search(SearchRequest.of("*").withLimit(10));
    assertThat(page.next()).isNotNull();
    SearchResult next = store.search(SearchRequest.of("*").withLimit(10).withAfter(page.next()));
    SearchResult twenty = store.search(SearchRequest.of("*").withLimit(20));
    assertThat(ids(next.rows())).isEqualTo(ids(twenty.rows()).subList(10, 20));
  }

  @net.jqwik.api.Example
  void facetsGiveTheTopValuesOfEachField() throws Exception {
    var facets = store.facets("*", Long.MIN_VALUE, Long.MAX_VALUE, List.of("host.name", "tags"), 2);
    assertThat(facets.get("host.name")).hasSize(2);
    long first = (Long) facets.get("host.name").get(0).get("count()");
    long second = (Long) facets.get("host.name").get(1).get("count()");
    assertThat(first).isGreaterThanOrEqualTo(second);
    long most =
        events.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    s -> s.event().getText("host.name"), java.util.stream.Collectors.counting()))
            .values()
            .stream()
            .max(Long::compare)
            .orElseThrow();
    assertThat(first).isEqualTo(most);
  }

  @net.jqwik.api.Example
  void expensivePatternsAreRefusedWithAMessage() {
    String hostile = "message:" + "*a?".repeat(400) + "*";
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.search(SearchRequest.of(hostile)))
        .isInstanceOf(dev.rampart.store.query.QueryException.class);
  }

  @Property(tries = 30)
  void contextIsTheNeighboursOnTheSameHost(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Reference.Stored pick = events.get(r.nextInt(events.size()));
    int n = r.nextInt(4);
    String host = pick.event().source().host();
    List<Reference.Stored> same =
        new ArrayList<>(
            events.stream().filter(s -> s.event().source().host().equals(host)).toList());
    same.sort(
        java.util.Comparator.comparingLong((Reference.Stored s) -> s.event().timestamp())
            .thenComparingLong(Reference.Stored::id));
    int i = same.indexOf(pick);
    List<Object> want =
        same.subList(Math.max(0, i - n), Math.min(same.size(), i + n + 1)).stream()
            .map(s -> (Object) s.id())
            .toList();
    assertThat(ids(store.context(pick.id(), n))).as("seed %d", seed).isEqualTo(want);
  }

  static List<Object> ids(List<Map<String, Object>> rows) {
    return rows.stream().map(m -> m.get("_id")).toList();
  }
}
