package dev.rampart.cases.search;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Hunting queries kept by name in the case database: the searches an analyst runs every morning,
 * and the team's hunts a detection engineer shares. Saving under a name the owner already used
 * replaces that search; saving and deleting are audited. Whether the query parses is the caller's
 * check (this module does not know the query language).
 *
 * <p>Tenants: a search is saved with its owner's tenants, and a shared one is listed for whoever
 * sees every one of them (someone of every tenant sees all). A tenant's analyst so never sees the
 * hunts of another tenant's analysts, while an MSSP's own staff share theirs with each other.
 */
public final class SavedSearches {
  /** A kept search. {@code tenants} are its owner's when saved, empty for every tenant. */
  public record SavedSearch(
      String id,
      String owner,
      String name,
      String query,
      String range,
      String description,
      boolean shared,
      Set<String> tenants,
      long createdAt,
      long updatedAt,
      Alerting alerting) {}

  /**
   * A search that alerts: every {@code everyMillis} it runs over the events since {@code
   * checkedUntil} (the end of its last run) and files an alert of {@code level} when more than
   * {@code threshold} match. {@code seen} is how far the event store had indexed at that run (0:
   * not recorded), so that events indexed later into windows already searched are found.
   */
  public record Alerting(
      long everyMillis, String level, long threshold, long checkedUntil, long seen) {
    /** What a draft says: how often, at what level, above how many events. */
    public static Alerting of(long everyMillis, String level, long threshold) {
      return new Alerting(everyMillis, level, threshold, 0, 0);
    }
  }

  /** The shortest and longest time between a search's runs. */
  public static final long MIN_EVERY = 60_000L;

  public static final long MAX_EVERY = 86_400_000L;

  public static final List<String> LEVELS = List.of("low", "medium", "high", "critical");

  /**
   * What to keep: {@code range} is how the console names a time range (24h, 7d, -2h..now); {@code
   * alerting} null for a search that does not alert.
   */
  public record Draft(
      String name,
      String query,
      String range,
      String description,
      boolean shared,
      Alerting alerting) {
    public Draft(String name, String query, String range, String description, boolean shared) {
      this(name, query, range, description, shared, null);
    }
  }

  /** Searches one owner may keep: a list past this is a sign of a script gone wrong. */
  public static final int MAX_PER_OWNER = 500;

  // a relative range (24h), or FROM..TO as typed (either side may be empty)
  private static final Pattern RANGE =
      Pattern.compile("[0-9a-z]{1,10}|[0-9A-Za-z:.+\\-]{0,40}\\.\\.[0-9A-Za-z:.+\\-]{0,40}");

  private final Db db;

  public SavedSearches(Db db) {
    this.db = db;
  }

  /**
   * Saves {@code d} as {@code owner}'s (replacing their search of the same name), with the owner's
   * {@code tenants} (empty: every tenant).
   */
  public SavedSearch save(String owner, Set<String> tenants, Draft d) throws CaseException {
    String name = d.name() == null ? "" : d.name().strip();
    String query = d.query() == null ? "" : d.query().strip();
    String range = d.range() == null || d.range().isBlank() ? "24h" : d.range().strip();
    String description = d.description() == null ? "" : d.description().strip();
    if (owner == null || owner.isBlank()) {
      throw invalid("a saved search needs its owner");
    }
    if (name.isEmpty() || name.length() > 200) {
      throw invalid("name: 1 to 200 characters");
    }
    if (query.isEmpty() || query.length() > 4000) {
      throw invalid("query: 1 to 4,000 characters");
    }
    if (!RANGE.matcher(range).matches()) {
      throw invalid(
          "range: as the console names one (24h, 7d, all, -2h..now); got '" + range + "'");
    }
    if (description.length() > 2000) {
      throw invalid("description: at most 2,000 characters");
    }
    Alerting a = d.alerting();
    if (a != null) {
      if (a.everyMillis() < MIN_EVERY || a.everyMillis() > MAX_EVERY) {
        throw invalid("alert every: from 1 minute to 1 day");
      }
      if (!LEVELS.contains(a.level())) {
        throw invalid("alert level: low, medium, high or critical");
      }
      if (a.threshold() < 0) {
        throw invalid("alert threshold: 0 (any event) or more");
      }
    }
    String scope = String.join(",", new TreeSet<>(tenants));
    long now = db.now();
    return db.tx(
        c -> {
          List<String> existing =
              Db.query(
                  c,
                  "SELECT id FROM saved_searches WHERE owner = ? AND name = ?",
                  r -> r.getString(1),
                  owner,
                  name);
          String id;
          if (existing.isEmpty()) {
            long count =
                Db.query(
                        c,
                        "SELECT COUNT(*) FROM saved_searches WHERE owner = ?",
                        r -> r.getLong(1),
                        owner)
                    .getFirst();
            if (count >= MAX_PER_OWNER) {
              throw new CaseException(
                  CaseException.Kind.CONFLICT,
                  owner + " keeps " + MAX_PER_OWNER + " searches already: delete some first");
            }
            id = Db.newId();
            Db.update(
                c,
                "INSERT INTO saved_searches (id, owner, name, query, time_range, description,"
                    + " shared, tenants, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                owner,
                name,
                query,
                range,
                description,
                d.shared() ? 1 : 0,
                scope,
                now,
                now);
            setAlerting(c, id, a, now);
          } else {
            id = existing.getFirst();
            Db.update(
                c,
                "UPDATE saved_searches SET query = ?, time_range = ?, description = ?, shared = ?,"
                    + " tenants = ?, updated_at = ? WHERE id = ?",
                query,
                range,
                description,
                d.shared() ? 1 : 0,
                scope,
                now,
                id);
            // a changed search starts alerting afresh from now; an unchanged one keeps its place
            Alerting before = get(c, id).alerting();
            if (!sameAlerting(before, a)) {
              setAlerting(c, id, a, now);
            }
          }
          db.audit(
              c,
              owner,
              "search.save",
              id,
              name + (d.shared() ? " (shared)" : "") + ": " + abbreviate(query));
          return get(c, id);
        });
  }

  /**
   * The searches {@code viewer} may use: their own and those shared with them, by name.
   *
   * @param tenants the viewer's tenants, empty for every tenant
   */
  public List<SavedSearch> list(String viewer, Set<String> tenants) throws CaseException {
    return db
        .tx(
            c ->
                Db.query(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM saved_searches WHERE owner = ? OR shared = 1"
                        + " ORDER BY LOWER(name), owner, id",
                    SavedSearches::row,
                    viewer))
        .stream()
        .filter(s -> visible(s, viewer, tenants))
        .toList();
  }

  /**
   * Every saved search, by name: for the command line, whose user reads the database file itself
   * and so sees what it holds.
   */
  public List<SavedSearch> all() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT " + COLUMNS + " FROM saved_searches ORDER BY LOWER(name), owner, id",
                SavedSearches::row));
  }

  /** One search {@code viewer} may use; not found otherwise (so ids cannot be probed). */
  public SavedSearch get(String id, String viewer, Set<String> tenants) throws CaseException {
    SavedSearch s = db.tx(c -> get(c, id));
    if (!visible(s, viewer, tenants)) {
      throw notFound(id);
    }
    return s;
  }

  /** Deletes one of {@code actor}'s searches (audited); others' are not theirs to delete. */
  public void delete(String id, String actor, Set<String> tenants) throws CaseException {
    SavedSearch s = get(id, actor, tenants);
    if (!s.owner().equals(actor)) {
      throw new CaseException(
          CaseException.Kind.CONFLICT, "'" + s.name() + "' is " + s.owner() + "'s to delete");
    }
    db.tx(
        c -> {
          Db.update(c, "DELETE FROM saved_searches WHERE id = ?", id);
          Db.update(c, "DELETE FROM saved_search_windows WHERE search_id = ?", id);
          db.audit(c, actor, "search.delete", id, s.name());
          return null;
        });
  }

  /** Every search that alerts, for the scheduler: it runs with its owner's tenants. */
  public List<SavedSearch> alerting() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT " + COLUMNS + " FROM saved_searches WHERE alert_every IS NOT NULL",
                SavedSearches::row));
  }

  /** Records that {@code id}'s alerting ran up to {@code until} (epoch millis). */
  public void checked(String id, long until) throws CaseException {
    db.tx(c -> Db.update(c, "UPDATE saved_searches SET alert_until = ? WHERE id = ?", until, id));
  }

  /**
   * How long windows longer than a period are kept: beyond any search's look-back for late events.
   */
  public static final long WINDOWS_KEPT_MILLIS = 8 * 86_400_000L;

  /** A window an alerting search ran over, in epoch millis: {@code [fromMillis, toMillis)}. */
  public record Window(long fromMillis, long toMillis) {}

  /**
   * Records that {@code id}'s alerting ran over {@code window} with the store indexed up to {@code
   * seen}. A window longer than the search's period (the periods missed while the server was
   * stopped, searched at once) is kept for {@link #windows}; older ones are dropped.
   */
  public void checked(String id, Window window, long seen) throws CaseException {
    db.tx(
        c -> {
          Db.update(
              c,
              "UPDATE saved_searches SET alert_until = ?, alert_seen = ? WHERE id = ?",
              window.toMillis(),
              seen,
              id);
          Db.update(
              c,
              "DELETE FROM saved_search_windows WHERE search_id = ? AND to_ms < ?",
              id,
              window.fromMillis() - WINDOWS_KEPT_MILLIS);
          Db.update(
              c,
              "INSERT INTO saved_search_windows (search_id, from_ms, to_ms)"
                  + " SELECT id, ?, ? FROM saved_searches"
                  + " WHERE id = ? AND alert_every < ?",
              window.fromMillis(),
              window.toMillis(),
              id,
              window.toMillis() - window.fromMillis());
          return null;
        });
  }

  /**
   * The windows of {@code id}'s runs that were longer than its period and end after {@code
   * sinceMillis}, oldest first.
   */
  public List<Window> windows(String id, long sinceMillis) throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT from_ms, to_ms FROM saved_search_windows WHERE search_id = ? AND to_ms > ?"
                    + " ORDER BY to_ms",
                r -> new Window(r.getLong(1), r.getLong(2)),
                id,
                sinceMillis));
  }

  private static void setAlerting(Connection c, String id, Alerting a, long now)
      throws SQLException {
    // the windows of an earlier period say nothing of the new one's
    Db.update(c, "DELETE FROM saved_search_windows WHERE search_id = ?", id);
    Db.update(
        c,
        "UPDATE saved_searches SET alert_every = ?, alert_level = ?, alert_threshold = ?,"
            + " alert_until = ?, alert_seen = ? WHERE id = ?",
        a == null ? Db.Null.BIGINT : (Object) a.everyMillis(),
        a == null ? null : a.level(),
        a == null ? Db.Null.BIGINT : (Object) a.threshold(),
        // the past is not news: alerting starts when it is asked for
        a == null ? Db.Null.BIGINT : (Object) now,
        Db.Null.BIGINT, // late events are looked for from the first run on
        id);
  }

  private static boolean sameAlerting(Alerting was, Alerting now) {
    return was == null || now == null
        ? was == now
        : was.everyMillis() == now.everyMillis()
            && was.level().equals(now.level())
            && was.threshold() == now.threshold();
  }

  static boolean visible(SavedSearch s, String viewer, Set<String> tenants) {
    if (s.owner().equals(viewer)) {
      return true;
    }
    // someone of every tenant sees every shared search; others those saved within their tenants
    return s.shared()
        && (tenants.isEmpty() || !s.tenants().isEmpty() && tenants.containsAll(s.tenants()));
  }

  private static SavedSearch get(Connection c, String id) throws SQLException, CaseException {
    List<SavedSearch> found =
        Db.query(
            c, "SELECT " + COLUMNS + " FROM saved_searches WHERE id = ?", SavedSearches::row, id);
    if (found.isEmpty()) {
      throw notFound(id);
    }
    return found.getFirst();
  }

  private static final String COLUMNS =
      "id, owner, name, query, time_range, description, shared, tenants, created_at, updated_at,"
          + " alert_every, alert_level, alert_threshold, alert_until, alert_seen";

  private static SavedSearch row(ResultSet r) throws SQLException {
    String tenants = r.getString(8);
    return new SavedSearch(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getInt(7) != 0,
        tenants.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(tenants.split(","))),
        r.getLong(9),
        r.getLong(10),
        Db.nullableLong(r, 11) == null
            ? null
            : new Alerting(
                r.getLong(11), r.getString(12), r.getLong(13), r.getLong(14), r.getLong(15)));
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  private static CaseException invalid(String message) {
    return new CaseException(CaseException.Kind.INVALID, message);
  }

  private static CaseException notFound(String id) {
    return new CaseException(CaseException.Kind.NOT_FOUND, "no saved search " + id);
  }
}
