package dev.rampart.bench;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.Status;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The workload behind {@code rampart bench cases}: a PostgreSQL (embedded, or the one given)
 * holding {@code n} incidents spread over 90 days, statuses, priorities and 20 owners; then the
 * console's listing queries through {@link CaseStore#list}: the newest page, by status, by
 * priority, by owner, and pages deep into the list by cursor. Latency percentiles per call.
 */
public final class CasesBench {
  public record Result(long incidents, double seedSeconds, double p50Ms, double p95Ms, int calls) {}

  private CasesBench() {}

  public static Result run(Path dir, long n, int calls, LongConsumer progress) throws Exception {
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pg"))
            .setCleanDataDirectory(true)
            .start()) {
      return run(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", n, calls, progress);
    }
  }

  public static Result run(
      String url, String user, String password, long n, int calls, LongConsumer progress)
      throws Exception {
    long t0 = System.nanoTime();
    try (CaseStore cases = CaseStore.open(url, user, password, java.time.Clock.systemUTC())) {
      seed(
          url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
          user,
          password,
          n,
          progress);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      Random rnd = new Random(3);
      String[] priorities = {"critical", "high", "medium", "low"};
      double[] ms = new double[calls];
      for (int i = -20; i < calls; i++) { // 20 warm-up calls
        long s0 = System.nanoTime();
        switch (Math.floorMod(i, 5)) {
          case 0 -> cases.list(CaseStore.Filter.any(), 50, null);
          case 1 ->
              cases.list(
                  new CaseStore.Filter(
                      Set.of(Status.NEW, Status.ACKNOWLEDGED), null, null, null, false),
                  50,
                  null);
          case 2 ->
              cases.list(
                  new CaseStore.Filter(Set.of(), priorities[rnd.nextInt(4)], null, null, false),
                  50,
                  null);
          case 3 ->
              cases.list(
                  new CaseStore.Filter(Set.of(), null, "analyst" + rnd.nextInt(20), null, false),
                  50,
                  null);
          default -> {
            // ten pages deep, by cursor, as a user paging through
            String next = null;
            for (int p = 0; p < 10; p++) {
              next = cases.list(CaseStore.Filter.any(), 50, next).next();
            }
          }
        }
        if (i >= 0) {
          ms[i] = (System.nanoTime() - s0) / 1e6;
        }
      }
      Arrays.sort(ms);
      return new Result(
          n,
          seedSeconds,
          ms[(int) Math.floor(0.5 * (calls - 1))],
          ms[(int) Math.ceil(0.95 * (calls - 1))],
          calls);
    }
  }

  static void seed(String url, String user, String password, long n, LongConsumer progress)
      throws Exception {
    String[] statuses = {
      "new", "acknowledged", "investigating", "contained", "resolved", "false_positive"
    };
    String[] priorities = {"critical", "high", "medium", "low"};
    Random rnd = new Random(1);
    long now = System.currentTimeMillis();
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO incidents (id, title, status, priority, owner, host, user_name,"
                  + " created_at, updated_at, acknowledged_at, resolved_at) VALUES (?, ?, ?, ?, ?,"
                  + " ?, ?, ?, ?, ?, ?)")) {
        for (long i = 0; i < n; i++) {
          long created = now - (long) (rnd.nextDouble() * 90 * 86_400_000L);
          long updated = created + rnd.nextInt(3_600_000);
          String status = statuses[rnd.nextInt(statuses.length)];
          s.setString(1, String.format("inc-%08d", i));
          s.setString(2, "Incident " + i + " on ws-" + rnd.nextInt(500));
          s.setString(3, status);
          s.setString(4, priorities[rnd.nextInt(4)]);
          s.setString(5, rnd.nextInt(10) == 0 ? null : "analyst" + rnd.nextInt(20));
          s.setString(6, "ws-" + rnd.nextInt(500));
          s.setString(7, "user" + rnd.nextInt(2000));
          s.setLong(8, created);
          s.setLong(9, updated);
          if (status.equals("new")) {
            s.setNull(10, java.sql.Types.BIGINT);
          } else {
            s.setLong(10, created + rnd.nextInt(600_000));
          }
          if (status.equals("resolved") || status.equals("false_positive")) {
            s.setLong(11, updated);
          } else {
            s.setNull(11, java.sql.Types.BIGINT);
          }
          s.addBatch();
          if ((i + 1) % 10_000 == 0) {
            s.executeBatch();
            c.commit();
            progress.accept(i + 1);
          }
        }
        s.executeBatch();
        c.commit();
      }
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("ANALYZE incidents");
      }
    }
  }
}
