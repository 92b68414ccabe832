package dev.rampart.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the search page lists an event: its message first, Rampart's bookkeeping last, short times.
 */
class SearchListingTest {
  @Test
  void theMessageLeadsAndRampartsOwnFieldsTrail() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("rampart.input", "syslog");
    fields.put("rampart.log_type", "linux/auth");
    fields.put("log.syslog.hostname", "bastion-01");
    fields.put("message", "Accepted password for carol from 192.0.2.25");
    assertThat(SearchPages.compact(fields))
        .isEqualTo(
            "message=Accepted password for carol from 192.0.2.25  log.syslog.hostname=bastion-01"
                + "  rampart.input=syslog  rampart.log_type=linux/auth");
  }

  @Test
  void timesAreListedToTheMillisecond() {
    assertThat(SearchPages.shortTime("2026-12-08T04:43:24.556185141Z"))
        .isEqualTo("2026-12-08 04:43:24.556Z");
    assertThat(SearchPages.shortTime("2026-12-08T04:43:24Z")).isEqualTo("2026-12-08 04:43:24Z");
    assertThat(SearchPages.shortTime("2026-12-08T04:43:24.5Z")).isEqualTo("2026-12-08 04:43:24.5Z");
    assertThat(SearchPages.shortTime("not a time")).isEqualTo("not a time");
  }
}
