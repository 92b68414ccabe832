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
  private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(ArrayList::new);

  public Db(String jdbcUrl, String user, String password, Clock clock) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    if (user != null) {
      c.setUsername(user);
      c.setPassword(password);
    }
    boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
    if (sqlite) {
      // A fresh data folder: make it, rather than fail with SQLite's "unable to open".
      String file = jdbcUrl.substring("jdbc:sqlite:".length());
      int q = file.indexOf('?');
      file = q < 0 ? file : file.substring(0, q);
      if (!file.isEmpty() && !file.startsWith(":") && !file.startsWith("file:")) {
        java.nio.file.Path parent = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        try {
          java.nio.file.Files.createDirectories(parent);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(
              "cannot create the folder "
                  + parent
                  + " for the case database"
                  + (e instanceof java.nio.file.FileAlreadyExistsException
                      ? ": a file of that name is in the way (is --data a folder?)"
                      : ": " + e.getMessage()),
              e);
        }
      }
    }
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

  /**
   * Migrates the tables of a module that shares this database ({@code classpath:db/vuln}, say) with
   * its own Flyway history table, so modules number their migrations independently.
   */
  public void migrate(String location, String historyTable) {
    Flyway.configure()
        .dataSource(pool)
        .locations(location)
        .table(historyTable)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /**
   * Whether the database has a table of this name (lower case): a module's schema is there once
   * something that uses the module opened it, so read-only tools ask before they create it.
   */
  public boolean hasTable(String name) throws CaseException {
    return tx(
        c -> {
          try (java.sql.ResultSet rs =
              c.getMetaData().getTables(null, null, name, new String[] {"TABLE"})) {
            return rs.next();
          }
        });
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

  /** The one number {@code sql} returns (an AVG, say); null when it is NULL or there is no row. */
  public static Double average(Connection c, String sql, Object... args) throws SQLException {
    List<Double> v =
        query(
            c,
            sql,
            r -> {
              double d = r.getDouble(1);
              return r.wasNull() ? null : d;
            },
            args);
    return v.isEmpty() ? null : v.get(0);
  }

  /** A nullable BIGINT column. */
  public static Long nullableLong(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  /** Binds arguments: String, Long, Integer, Double, Boolean, or a {@link Null} of a SQL type. */
  public static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      switch (a) {
        case null -> s.setNull(i + 1, Types.VARCHAR);
        case Null n -> s.setNull(i + 1, n.sqlType());
        case Long l -> s.setLong(i + 1, l);
        case Integer n -> s.setInt(i + 1, n);
        case Double d -> s.setDouble(i + 1, d);
        case Boolean b -> s.setBoolean(i + 1, b);
        case String str -> s.setString(i + 1, str);
        default -> throw new IllegalArgumentException("cannot bind " + a.getClass());
      }
    }
  }

  /** A typed SQL NULL (PostgreSQL wants the type of a null BIGINT). */
  public record Null(int sqlType) {
    public static final Null BIGINT = new Null(Types.BIGINT);
    public static final Null DOUBLE = new Null(Types.DOUBLE);
  }

  /** The hash a chain starts from. */
  public static final String GENESIS = "0".repeat(64);

  /**
   * Appends to the audit trail inside the caller's transaction. Entries form a hash chain: each
   * one's hash covers the previous hash and its own fields, so editing or deleting an entry breaks
   * every hash after it ({@link #verifyAudit}). The head row is updated in the same transaction,
   * which serialises concurrent writers.
   */
  public void audit(Connection c, String actor, String action, String target, String detail)
      throws SQLException {
    long now = now();
    String who = actor == null ? "-" : actor;
    // Lock the head first (PostgreSQL takes the row lock on UPDATE), then read it.
    update(c, "UPDATE audit_head SET seq = seq WHERE id = 1");
    List<Object[]> head =
        query(
            c,
            "SELECT seq, hash FROM audit_head WHERE id = 1",
            r -> new Object[] {r.getLong(1), r.getString(2)});
    long seq = (Long) head.get(0)[0] + 1;
    String prev = (String) head.get(0)[1];
    String hash = chainHash(prev, seq, now, who, action, target, detail);
    update(
        c,
        "INSERT INTO audit (id, at, actor, action, target, detail, seq, prev_hash, hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        newId(),
        now,
        who,
        action,
        target,
        detail,
        seq,
        prev,
        hash);
    update(c, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash);
  }

  /** SHA-256 over the previous hash and the entry's fields, each length-prefixed. */
  static String chainHash(
      String prev, long seq, long at, String actor, String action, String target, String detail) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            prev, Long.toString(seq), Long.toString(at), actor, action, target, detail
          }) {
        byte[] b =
            (part == null ? "\u0000" : part).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        md.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One audit entry, in chain order. */
  public record AuditEntry(
      long seq, long at, String actor, String action, String target, String detail, String hash) {}

  /** The newest {@code limit} audit entries, newest first. */
  public List<AuditEntry> audit(int limit) throws CaseException {
    return audit(null, null, null, limit);
  }

  /**
   * Audit entries newest first, {@code limit} of them: older than {@code before} (a sequence
   * number, for the next page), by {@code actor}, with an action starting with {@code action}
   * ({@code incident.} for every change of incidents); null leaves a condition out.
   */
  public List<AuditEntry> audit(Long before, String actor, String action, int limit)
      throws CaseException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, at, actor, action, target, detail, hash FROM audit WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (before != null) {
      sql.append(" AND seq < ?");
      args.add(before);
    }
    if (actor != null) {
      sql.append(" AND actor = ?");
      args.add(actor);
    }
    if (action != null) {
      sql.append(" AND action LIKE ? ESCAPE '!'");
      args.add(action.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    args.add(limit);
    return tx(c -> query(c, sql.toString(), Db::auditEntry, args.toArray()));
  }

  private static AuditEntry auditEntry(ResultSet r) throws SQLException {
    return new AuditEntry(
        r.getLong(1),
        r.getLong(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getString(7));
  }

  /**
   * The result of checking the chain: how many entries were checked, and the first broken one (null
   * when intact), with what is wrong.
   */
  public record AuditCheck(long entries, Long brokenAt, String problem) {
    public boolean intact() {
      return brokenAt == null;
    }
  }

  /** Recomputes the whole chain, in pages, and checks the head matches its end. */
  public AuditCheck verifyAudit() throws CaseException {
    return tx(
        c -> {
          String prev = GENESIS;
          long expected = 1;
          long checked = 0;
          while (true) {
            List<Object[]> page =
                query(
                    c,
                    "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit"
                        + " WHERE seq >= ? ORDER BY seq LIMIT 10000",
                    r ->
                        new Object[] {
                          r.getLong(1), r.getLong(2), r.getString(3), r.getString(4),
                          r.getString(5), r.getString(6), r.getString(7), r.getString(8)
                        },
                    expected);
            if (page.isEmpty()) {
              break;
            }
            for (Object[] e : page) {
              long seq = (Long) e[0];
              if (seq != expected) {
                return new AuditCheck(checked, expected, "entry " + expected + " is missing");
              }
              if (!prev.equals(e[6])) {
                return new AuditCheck(
                    checked, seq, "entry " + seq + " does not follow entry " + (seq - 1));
              }
              String h =
                  chainHash(
                      prev,
                      seq,
                      (Long) e[1],
                      (String) e[2],
                      (String) e[3],
                      (String) e[4],
                      (String) e[5]);
              if (!h.equals(e[7])) {
                return new AuditCheck(
                    checked, seq, "entry " + seq + " was changed after it was written");
              }
              prev = h;
              expected++;
              checked++;
            }
          }
          List<Object[]> head =
              query(
                  c,
                  "SELECT seq, hash FROM audit_head WHERE id = 1",
                  r -> new Object[] {r.getLong(1), r.getString(2)});
          if ((Long) head.get(0)[0] != checked || !prev.equals(head.get(0)[1])) {
            return new AuditCheck(
                checked,
                checked + 1,
                "the newest entries were removed (the head says " + head.get(0)[0] + ")");
          }
          return new AuditCheck(checked, null, null);
        });
  }

  @Override
  public void close() {
    pool.close();
  }
}
