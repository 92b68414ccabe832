package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import dev.rampart.store.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever an analyst types, a search answers or says where the query is wrong: query texts made of
 * the language's own pieces in random order, and valid queries with characters deleted, inserted or
 * swapped, run through the whole search (parser, planner, Lucene, aggregations) over a small store.
 * The only failure allowed is a {@link QueryException} whose column lies inside the query (or just
 * past its end) and whose rendering points at it. Each failure prints its seed.
 */
class QueryFuzzTest {
  static final String[] PIECES = {
    "*",
    "user.name",
    "host.name",
    "message",
    "process.pid",
    "source.ip",
    "@timestamp",
    "nosuch.field",
    "event.original",
    ":",
    "::",
    "=",
    "==",
    "!=",
    "<",
    ">=",
    "~",
    "\"",
    "\"a b\"",
    "'",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    " TO ",
    "AND",
    "OR",
    "NOT",
    "and",
    "or",
    "not",
    "-",
    "+",
    "*adm*",
    "?",
    "ro?t",
    "\\",
    "C:\\Windows\\",
    "10.0.0.0/8",
    "2001:db8::/32",
    "10.0.0.0/99",
    "256.1.1.1",
    "1e400",
    "99999999999999999999999",
    "-0",
    "0x1F",
    "NaN",
    "é",
    "\u0000",
    "\t",
    "\n",
    ",",
    "|",
    "| stats",
    "| where",
    "| sort",
    "| head",
    "| fields",
    "| timechart",
    " span=",
    "1h",
    "0s",
    "99999d",
    "count()",
    "dc(",
    "min(",
    "max(",
    "avg(",
    "sum(",
    " by ",
    "asc",
    "desc",
    "exists",
    "_exists_:",
    "*:*",
    "**********",
    "a*b*c*d*e*f*g*h",
    "/regex/",
    "&&",
    "||"
  };

  static final String INSERTS = "()[]{}\":|*\\,=<>-~ '";

  static final String[] VALID = {
    "*",
    "user.name:root AND NOT host.name:ws-01",
    "message:\"failed password\" OR message:*enc*",
    "source.ip:10.0.0.0/8 | stats count(), dc(user.name) by host.name | sort -count() | head 3",
    "process.pid:[1 TO 200] | timechart span=1h count() by host.name",
    "* | where process.pid > 10 | fields user.name, process.pid",
    "(user.name:a* OR user.name:b?b) AND _exists_:source.ip | stats min(process.pid) by user.name"
  };

  static Path dir;
  static EventStore store;

  @BeforeContainer
  static void load() throws Exception {
    dir = Files.createTempDirectory("store-fuzz");
    store = EventStore.open(dir, StoreOptions.defaults());
    Random rnd = new Random(7);
    try (EventStore.Importer importer = store.importer()) {
      for (int i = 0; i < 300; i++) {
        importer.add(SearchPropertyTest.event(rnd, i));
      }
    }
  }

  @AfterContainer
  static void close() throws Exception {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 400)
  void piecesInAnyOrderAnswerOrPointAtTheProblem(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder q = new StringBuilder();
    for (int i = 1 + r.nextInt(12); i > 0; i--) {
      q.append(PIECES[r.nextInt(PIECES.length)]);
      if (r.nextBoolean()) {
        q.append(' ');
      }
    }
    check(seed, q.toString());
  }

  @Property(tries = 400)
  void mutatedQueriesAnswerOrPointAtTheProblem(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder q = new StringBuilder(VALID[r.nextInt(VALID.length)]);
    for (int i = 1 + r.nextInt(4); i > 0 && !q.isEmpty(); i--) {
      int at = r.nextInt(q.length());
      switch (r.nextInt(3)) {
        case 0 -> q.deleteCharAt(at);
        case 1 -> q.insert(at, INSERTS.charAt(r.nextInt(INSERTS.length())));
        default -> {
          int other = r.nextInt(q.length());
          char c = q.charAt(at);
          q.setCharAt(at, q.charAt(other));
          q.setCharAt(other, c);
        }
      }
    }
    check(seed, q.toString());
  }

  private static void check(long seed, String query) throws IOException {
    try {
      store.search(
          SearchRequest.of(query)
              .range(
                  SearchPropertyTest.T0 - SearchPropertyTest.DAY,
                  SearchPropertyTest.T0 + 5 * SearchPropertyTest.DAY));
    } catch (QueryException e) {
      assertThat(e.column())
          .as("seed %d, query [%s]: column of '%s'", seed, query, e.problem())
          .isBetween(1, Math.max(1, query.length() + 1));
      assertThat(e.render(query)).as("seed %d", seed).contains(e.problem());
    } catch (RuntimeException e) {
      fail("seed " + seed + ", query [" + query + "]: " + e, e);
    }
    if (query.length() <= QueryParser.MAX_LENGTH) {
      try {
        QueryParser.parse(query);
      } catch (QueryException expected) {
        // the search said so above
      } catch (RuntimeException e) {
        fail("seed " + seed + ", query [" + query + "]: " + e, e);
      }
    }
  }
}
