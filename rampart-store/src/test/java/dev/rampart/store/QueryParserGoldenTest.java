package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests of the query parser: each {@code query/<case>.query} beside its {@code
 * <case>.expected.txt}, the syntax tree or the error with its caret. {@code -Dgolden.update=true}
 * rewrites the expected files (review the diff).
 */
class QueryParserGoldenTest {
  static final Path DIR = Path.of("src/test/resources/query");

  static String render(String query) {
    try {
      return QueryParser.parse(query).toString() + "\n";
    } catch (QueryException e) {
      return "ERROR\n" + e.render(query) + "\n";
    }
  }

  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    List<Path> queries;
    try (Stream<Path> s = Files.list(DIR)) {
      queries = s.filter(p -> p.toString().endsWith(".query")).sorted().toList();
    }
    assertThat(queries).hasSizeGreaterThan(20);
    boolean update = Boolean.getBoolean("golden.update");
    return queries.stream()
        .map(
            q ->
                DynamicTest.dynamicTest(
                    q.getFileName().toString(),
                    () -> {
                      String query = Files.readString(q, StandardCharsets.UTF_8);
                      String got = render(query);
                      Path expected =
                          q.resolveSibling(
                              q.getFileName().toString().replace(".query", ".expected.txt"));
                      if (update || !Files.exists(expected)) {
                        Files.writeString(expected, got, StandardCharsets.UTF_8);
                      }
                      assertThat(got).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
                      boolean isError = q.getFileName().toString().startsWith("err-");
                      assertThat(got.startsWith("ERROR")).as("error case").isEqualTo(isError);
                    }));
  }

  @org.junit.jupiter.api.Test
  void theFilterPartIsTheTextBeforeTheFirstPipe() throws QueryException {
    assertThat(QueryParser.filterText("user.name:\"a | b\" AND x:1 | stats count() by y"))
        .isEqualTo("user.name:\"a | b\" AND x:1");
    assertThat(QueryParser.filterText(" | head 5")).isEqualTo("*");
    assertThat(QueryParser.filterText("(a:1 OR b:2)")).isEqualTo("(a:1 OR b:2)");
  }
}
