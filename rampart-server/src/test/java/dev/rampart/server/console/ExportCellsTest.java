package dev.rampart.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An events CSV loses no field that the first page's columns did not foresee. */
class ExportCellsTest {
  @Test
  void fieldsWithoutAColumnGoToTheLastOneAsJson() throws Exception {
    List<String> columns = List.of("@timestamp", "_id", "host.name");
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("@timestamp", "2026-12-07T10:00:00Z");
    row.put("_id", 7L);
    row.put("host.name", "ws-07");
    assertThat(SearchPages.cells(row, columns, Set.copyOf(columns)))
        .containsExactly("2026-12-07T10:00:00Z", 7L, "ws-07", "");
    row.put("dns.question.name", "evil.example");
    row.put("source.port", 53);
    assertThat(SearchPages.cells(row, columns, Set.copyOf(columns)))
        .containsExactly(
            "2026-12-07T10:00:00Z",
            7L,
            "ws-07",
            "{\"dns.question.name\":\"evil.example\",\"source.port\":53}");
    // a table has its columns whole: no last column
    assertThat(SearchPages.cells(row, columns, null)).hasSize(3);
  }
}
