package dev.rampart.cases.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rampart.cases.incident.CaseException;
import java.io.Closeable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * The relational database behind cases, exceptions, the audit trail and playbook runs: SQLite (one
 * writer connection, WAL) or PostgreSQL (a pool), migrated by Flyway from {@code db/migration}.
 * Every change runs in {@link #tx}: all of it or none.
 */
public final class Db implements Closeable {
  private final HikariDataSource pool;
  private final Clock clock;
  // Work to do after the current transaction commits (listeners), per thread.
  private final java.util.concurrent.atomic.AtomicLong auditCounter =
      new java.util.concurrent.atomic.AtomicLong();
  private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(ArrayList::new);

  public Db(String jdbcUrl, String user, String password, Clock clock) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    if (user != null) {
      c.setUsername(user);
      c.setPassword(password);
    }
    boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
    // SQLite has one writer: one connection avoids SQLITE_BUSY between our own threads.
    c.setMaximumPoolSize(sqlite ? 1 : 8);
    c.setAutoCommit(true);
    if (sqlite) {
      c.addDataSourceProperty("foreign_keys", "true");
      c.setConnectionInitSql("PRAGMA journal_mode=WAL");
    }
    this.pool = new HikariDataSource(c);
    this.clock = clock;
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
  }

  /** A unit of work inside one transaction. */
  public interface Tx<T> {
    T run(Connection c) throws SQLException, CaseException;
  }

  /** Runs {@code work} in one transaction: all of it or none. */
  public <T> T tx(Tx<T> work) throws CaseException {
    List<Runnable> after = afterCommit.get();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        List<Runnable> run = List.copyOf(after);
        after.clear();
        run.forEach(Runnable::run);
        return out;
      } catch (SQLException | CaseException | RuntimeException e) {
        c.rollback();
        after.clear();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      after.clear();
      throw new IllegalStateException("case store: " + e.getMessage(), e);
    }
  }

  /** Runs {@code r} once the current transaction has committed (never when it rolls back). */
  public void afterCommit(Runnable r) {
    afterCommit.get().add(r);
  }

  public long now() {
    return clock.millis();
  }

  public Clock clock() {
    return clock;
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Runs an INSERT/UPDATE/DELETE with positional arguments; returns the rows changed. */
  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  /** Whether {@code sql} returns a row. */
  public static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Reads one row into a value. */
  public interface Row<T> {
    T read(ResultSet r) throws SQLException;
  }

  /** The rows of {@code sql}, read by {@code row}. */
  public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      List<T> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(row.read(r));
        }
      }
      return out;
    }
  }

  /** A nullable BIGINT column. */
  public static Long nullableLong(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  /** Binds arguments: String, Long, Integer, Boolean, or a {@link Null} of a SQL type. */
  public static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      switch (a) {
        case null -> s.setNull(i + 1, Types.VARCHAR);
        case Null n -> s.setNull(i + 1, n.sqlType());
        case Long l -> s.setLong(i + 1, l);
        case Integer n -> s.setInt(i + 1, n);
        case Boolean b -> s.setBoolean(i + 1, b);
        case String str -> s.setString(i + 1, str);
        default -> throw new IllegalArgumentException("cannot bind " + a.getClass());
      }
    }
  }

  /** A typed SQL NULL (PostgreSQL wants the type of a null BIGINT). */
  public record Null(int sqlType) {
    public static final Null BIGINT = new Null(Types.BIGINT);
  }

  /** Appends to the audit trail (inside the caller's transaction). */
  public void audit(Connection c, String actor, String action, String target, String detail)
      throws SQLException {
    long now = now();
    // Ids sort in the order entries were made (time, then this process's counter), so entries of
    // the same millisecond list in order.
    String id =
        String.format(
            java.util.Locale.ROOT,
            "%013d-%012d-%s",
            now,
            auditCounter.incrementAndGet(),
            newId().substring(0, 8));
    update(
        c,
        "INSERT INTO audit (id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
        id,
        now,
        actor == null ? "-" : actor,
        action,
        target,
        detail);
  }

  /** One audit entry. */
  public record AuditEntry(long at, String actor, String action, String target, String detail) {}

  /** The newest {@code limit} audit entries, newest first. */
  public List<AuditEntry> audit(int limit) throws CaseException {
    return tx(
        c ->
            query(
                c,
                "SELECT at, actor, action, target, detail FROM audit ORDER BY at DESC, id DESC"
                    + " LIMIT ?",
                r ->
                    new AuditEntry(
                        r.getLong(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5)),
                limit));
  }

  @Override
  public void close() {
    pool.close();
  }
}
