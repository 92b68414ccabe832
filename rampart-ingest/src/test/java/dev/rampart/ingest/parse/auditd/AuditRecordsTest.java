package dev.rampart.ingest.parse.auditd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.ingest.parse.RecordJoiner.Joined;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The joiner of audit records: interleaved events, standalone records, and its bounds. */
class AuditRecordsTest {
  @Test
  void interleavedEventsAreJoinedBySerialAndEndAtEoe() {
    AuditRecords j = new AuditRecords();
    List<Joined> out = new ArrayList<>();
    out.addAll(j.accept("type=SYSCALL msg=audit(1.000:7): a=1"));
    out.addAll(j.accept("type=SYSCALL msg=audit(1.000:8): b=1"));
    out.addAll(j.accept("type=USER_LOGIN msg=audit(1.000:9): res=success"));
    out.addAll(j.accept("type=PATH msg=audit(1.000:7): name=\"x\""));
    out.addAll(j.accept("type=EOE msg=audit(1.000:7):"));
    assertThat(out)
        .extracting(Joined::text)
        .containsExactly(
            "type=USER_LOGIN msg=audit(1.000:9): res=success",
            "type=SYSCALL msg=audit(1.000:7): a=1\ntype=PATH msg=audit(1.000:7): name=\"x\"");
    assertThat(out).extracting(Joined::line).containsExactly(3L, 1L);
    assertThat(j.flush())
        .extracting(Joined::text)
        .containsExactly("type=SYSCALL msg=audit(1.000:8): b=1");
  }

  @Test
  void oneSerialRepeatedWithoutEndIsHandedOnInBoundedPieces() {
    AuditRecords j = new AuditRecords();
    String record = "type=PATH msg=audit(1.000:5): name=\"" + "x".repeat(200) + "\"";
    List<Joined> out = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      out.addAll(j.accept(record));
    }
    out.addAll(j.flush());
    assertThat(out.size()).isGreaterThan(1);
    assertThat(out)
        .allSatisfy(
            m ->
                assertThat(m.text().length())
                    .isLessThanOrEqualTo(AuditRecords.MAX_EVENT_CHARS + record.length() + 1));
    long records = out.stream().mapToLong(m -> m.text().split("\n").length).sum();
    assertThat(records).isEqualTo(20_000); // nothing lost
  }

  @Test
  void tooManyOpenEventsFlushTheOldest() {
    AuditRecords j = new AuditRecords();
    List<Joined> out = new ArrayList<>();
    for (int i = 0; i <= AuditRecords.MAX_IN_FLIGHT; i++) {
      out.addAll(j.accept("type=SYSCALL msg=audit(1.000:" + i + "): n=" + i));
    }
    assertThat(out)
        .extracting(Joined::text)
        .containsExactly("type=SYSCALL msg=audit(1.000:0): n=0");
  }
}
