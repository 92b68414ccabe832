package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.cases.db.Db;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit trail is a hash chain: any edit, deletion or truncation is found and located. */
class AuditTest extends DatabaseTest {
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theChainFindsEditsDeletionsAndTruncation(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      for (int i = 0; i < 5; i++) {
        cases.audit("alice", "test.action", "t" + i, "detail " + i);
      }
      Db.AuditCheck ok = cases.db().verifyAudit();
      assertThat(ok.intact()).isTrue();
      assertThat(ok.entries()).isEqualTo(5);
      assertThat(cases.db().audit(10))
          .extracting(Db.AuditEntry::seq)
          .containsExactly(5L, 4L, 3L, 2L, 1L);

      cases.db().tx(c -> Db.update(c, "UPDATE audit SET detail = 'nothing to see' WHERE seq = 3"));
      Db.AuditCheck edited = cases.db().verifyAudit();
      assertThat(edited.brokenAt()).isEqualTo(3L);
      assertThat(edited.problem()).contains("changed after it was written");
      cases.db().tx(c -> Db.update(c, "UPDATE audit SET detail = 'detail 2' WHERE seq = 3"));
      assertThat(cases.db().verifyAudit().intact()).isTrue();

      cases.db().tx(c -> Db.update(c, "DELETE FROM audit WHERE seq = 5"));
      assertThat(cases.db().verifyAudit().problem()).contains("newest entries were removed");
      cases.db().tx(c -> Db.update(c, "DELETE FROM audit WHERE seq = 2"));
      assertThat(cases.db().verifyAudit().problem()).contains("entry 2 is missing");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theTrailIsReadByActorByActionAndAPageAtATime(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      cases.audit("alice", "incident.status", "i1", "new -> acknowledged");
      cases.audit("bob", "incident.owner", "i1", "alice");
      cases.audit("alice", "rule.disable", "r1", "noisy");
      cases.audit("alice", "incident_x", "i2", "an underscore is no wildcard");
      cases.audit("bob", "events.export", "*", "csv, 3 rows");
      assertThat(cases.db().audit(null, "alice", null, 10))
          .extracting(Db.AuditEntry::seq)
          .containsExactly(4L, 3L, 1L);
      assertThat(cases.db().audit(null, null, "incident.", 10))
          .extracting(Db.AuditEntry::action)
          .containsExactly("incident.owner", "incident.status");
      assertThat(cases.db().audit(null, "alice", "incident.", 10)).hasSize(1);
      assertThat(cases.db().audit(null, null, null, 2))
          .extracting(Db.AuditEntry::seq)
          .containsExactly(5L, 4L);
      assertThat(cases.db().audit(4L, null, null, 2))
          .extracting(Db.AuditEntry::seq)
          .containsExactly(3L, 2L);
      assertThat(cases.db().audit(null, "nobody", null, 10)).isEmpty();
    }
  }
}
