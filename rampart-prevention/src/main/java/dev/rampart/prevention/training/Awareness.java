package dev.rampart.prevention.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.io.Problem;
import dev.rampart.prevention.identity.Directory;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Security-awareness training and phishing simulations, from the files learning platforms and
 * simulation tools export: course assignments and completions (CSV: person, course, assigned, due,
 * completed, score) and simulation results (CSV or JSON: person, campaign, sent, opened, clicked,
 * submitted credentials, reported; each a yes/no or the time it happened). People are found by
 * email, account or employee id in the {@link Directory}; a row for someone the directory does not
 * know is a problem with its line, as is a row without a person, course or campaign.
 */
public final class Awareness {
  private static final ObjectMapper JSON = new ObjectMapper();

  // every column name the imports read (folded), to say which of a file's are not used
  private static final java.util.Set<String> COLUMNS =
      java.util.Set.of(
          "assigned",
          "assignedat",
          "assigneddate",
          "campaign",
          "campaignname",
          "clicked",
          "clickedat",
          "completed",
          "completedat",
          "completedon",
          "completiondate",
          "course",
          "coursename",
          "credentialssubmitted",
          "datasubmitted",
          "deadline",
          "delivered",
          "due",
          "dueat",
          "duedate",
          "email",
          "emailopened",
          "emailreported",
          "employeeid",
          "enrolled",
          "grade",
          "learner",
          "linkclicked",
          "login",
          "module",
          "opened",
          "openedat",
          "person",
          "recipient",
          "reported",
          "reportedat",
          "score",
          "senddate",
          "sent",
          "sentat",
          "simulation",
          "status",
          "submitted",
          "submittedat",
          "submittedcredentials",
          "submitteddata",
          "training",
          "user",
          "username");

  /** What kind of file: told by its columns (a course column: training; a campaign: phishing). */
  public enum Kind {
    TRAINING,
    PHISHING
  }

  public record ImportReport(Kind kind, int rows, int stored, List<Problem> problems) {}

  /** Rates of one group of people (a department, or everyone). */
  public record Rates(
      String group,
      int people,
      int assigned,
      int completed,
      int overdue,
      int sent,
      int clicked,
      int submitted,
      int reported) {
    public double completionRate() {
      return assigned == 0 ? 0 : (double) completed / assigned;
    }

    public double clickRate() {
      return sent == 0 ? 0 : (double) clicked / sent;
    }

    public double reportRate() {
      return sent == 0 ? 0 : (double) reported / sent;
    }
  }

  /** One person's overdue course. */
  public record Overdue(
      String person, String label, String department, String course, long dueAt) {}

  private final Db db;

  public Awareness(Directory directory) {
    this.db = directory.db();
  }

  public ImportReport importFile(Path file, String actor) throws IOException, CaseException {
    String src = file.toString();
    List<Map<String, String>> rows = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      JsonNode root = JSON.readTree(file.toFile());
      JsonNode list = root.isArray() ? root : root.path("results");
      long i = 0;
      for (JsonNode n : list) {
        i++;
        Map<String, String> row = new HashMap<>();
        n.fields()
            .forEachRemaining(
                f -> {
                  if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                    row.put(fold(f.getKey()), f.getValue().asText());
                  }
                });
        rows.add(row);
        lines.add(i); // the n-th result: JSON has no rows
      }
    } else {
      CsvMapper m = new CsvMapper();
      m.enable(CsvParser.Feature.WRAP_AS_ARRAY);
      try (var it = m.readerFor(String[].class).<String[]>readValues(file.toFile())) {
        if (!it.hasNext()) {
          return new ImportReport(Kind.TRAINING, 0, 0, List.of(Problem.error(src, 1, -1, "empty")));
        }
        String[] header = it.next();
        for (String h : header) {
          if (!COLUMNS.contains(fold(h))) {
            problems.add(Problem.warning(src, 1, -1, "column '" + h.strip() + "' is not used"));
          }
        }
        while (it.hasNextValue()) {
          long line = it.getCurrentLocation().getLineNr();
          String[] r = it.nextValue();
          Map<String, String> row = new HashMap<>();
          for (int i = 0; i < r.length && i < header.length; i++) {
            if (r[i] != null && !r[i].isBlank()) {
              row.put(fold(header[i]), r[i].strip());
            }
          }
          if (!row.isEmpty()) {
            rows.add(row);
            lines.add(line);
          }
        }
      } catch (RuntimeException bad) {
        problems.add(
            Problem.error(
                src, 0, -1, String.valueOf(bad.getMessage()).lines().findFirst().orElse("")));
      }
    }
    Kind kind =
        rows.stream().anyMatch(r -> get(r, "campaign", "campaignname", "simulation") != null)
            ? Kind.PHISHING
            : Kind.TRAINING;
    int stored =
        db.tx(
            c -> {
              int n = 0;
              for (int i = 0; i < rows.size(); i++) {
                Map<String, String> r = rows.get(i);
                long line = lines.get(i);
                String who =
                    get(
                        r,
                        "email",
                        "user",
                        "username",
                        "login",
                        "person",
                        "employeeid",
                        "learner",
                        "recipient");
                if (who == null) {
                  problems.add(
                      Problem.error(src, line, -1, "no person (email, user or employee id)"));
                  continue;
                }
                String person = find(c, who);
                if (person == null) {
                  problems.add(
                      Problem.error(
                          src, line, -1, "no identity for '" + who + "': import identities first"));
                  continue;
                }
                try {
                  if (kind == Kind.TRAINING) {
                    String course = get(r, "course", "coursename", "module", "training");
                    if (course == null) {
                      problems.add(Problem.error(src, line, -1, "no course"));
                      continue;
                    }
                    Long completed =
                        time(get(r, "completed", "completedat", "completiondate", "completedon"));
                    String status = get(r, "status");
                    if (completed == null
                        && status != null
                        && status.toLowerCase(Locale.ROOT).startsWith("complete")) {
                      completed = db.now();
                    }
                    Db.update(
                        c,
                        "INSERT INTO prev_training(person, course, assigned_at, due_at, completed_at,"
                            + " score, source) VALUES (?,?,?,?,?,?,?) ON CONFLICT(person, course) DO"
                            + " UPDATE SET assigned_at = COALESCE(excluded.assigned_at,"
                            + " prev_training.assigned_at), due_at = COALESCE(excluded.due_at,"
                            + " prev_training.due_at), completed_at = COALESCE(excluded.completed_at,"
                            + " prev_training.completed_at), score = COALESCE(excluded.score,"
                            + " prev_training.score), source = excluded.source",
                        person,
                        course,
                        nullable(
                            time(get(r, "assigned", "assignedat", "assigneddate", "enrolled"))),
                        nullable(time(get(r, "due", "dueat", "duedate", "deadline"))),
                        nullable(completed),
                        score(get(r, "score", "grade")),
                        src);
                  } else {
                    String campaign = get(r, "campaign", "campaignname", "simulation");
                    Long sent = time(get(r, "sent", "sentat", "senddate", "delivered"));
                    if (sent == null) {
                      problems.add(Problem.error(src, line, -1, "no sent time"));
                      continue;
                    }
                    Db.update(
                        c,
                        "INSERT INTO prev_phishing(person, campaign, sent_at, opened, clicked,"
                            + " submitted, reported, source) VALUES (?,?,?,?,?,?,?,?) ON"
                            + " CONFLICT(person, campaign) DO UPDATE SET sent_at = excluded.sent_at,"
                            + " opened = excluded.opened, clicked = excluded.clicked, submitted ="
                            + " excluded.submitted, reported = excluded.reported, source ="
                            + " excluded.source",
                        person,
                        campaign,
                        sent,
                        yes(get(r, "opened", "openedat", "emailopened")),
                        yes(get(r, "clicked", "clickedat", "linkclicked")),
                        yes(
                            get(
                                r,
                                "submitted",
                                "submittedcredentials",
                                "submitteddata",
                                "credentialssubmitted",
                                "submittedat",
                                "datasubmitted")),
                        yes(get(r, "reported", "reportedat", "emailreported")),
                        src);
                  }
                  n++;
                } catch (IllegalArgumentException bad) {
                  problems.add(Problem.error(src, line, -1, bad.getMessage()));
                }
              }
              db.audit(
                  c,
                  actor,
                  "awareness.import",
                  src,
                  n + " of " + rows.size() + " " + kind.name().toLowerCase(Locale.ROOT) + " rows");
              return n;
            });
    return new ImportReport(kind, rows.size(), stored, problems);
  }

  private static Object nullable(Long v) {
    return v == null ? Db.Null.BIGINT : v;
  }

  private static Object score(String s) {
    if (s == null) {
      return Db.Null.DOUBLE;
    }
    try {
      return Double.parseDouble(s.replace("%", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("score '" + s + "' is not a number");
    }
  }

  /** A yes/no cell: true, yes, 1, x, or a time (it happened then). */
  static int yes(String s) {
    if (s == null) {
      return 0;
    }
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.isEmpty()
        || v.equals("false")
        || v.equals("no")
        || v.equals("0")
        || v.equals("n")
        || v.equals("-")) {
      return 0;
    }
    return 1;
  }

  /** A date or an instant, as epoch millis; null when empty. */
  static Long time(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String v = s.strip();
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      // a date, or a date and time without a zone
    }
    try {
      if (v.length() >= 10) {
        LocalDate d = LocalDate.parse(v.substring(0, 10));
        if (v.length() == 10) {
          return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return java.time.LocalDateTime.parse(
                v.replace(' ', 'T').substring(0, Math.min(19, v.length())))
            .toInstant(ZoneOffset.UTC)
            .toEpochMilli();
      }
    } catch (DateTimeParseException e) {
      // below
    }
    throw new IllegalArgumentException("'" + v + "' is not a date (2026-03-01, or ISO-8601)");
  }

  private static String fold(String h) {
    return h.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.]", "");
  }

  private static String get(Map<String, String> r, String... names) {
    for (String n : names) {
      String v = r.get(n);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static String find(Connection c, String who) throws SQLException {
    List<String> ids = Directory.idsNamed(c, who);
    return ids.isEmpty() ? null : ids.get(0);
  }

  // ------------------------------------------------------------------ reading

  /** Rates per department (and {@code all}), as of {@code now}. */
  public List<Rates> rates(long now) throws CaseException {
    return rates(now, false);
  }

  /**
   * Rates per department (and {@code all}), or per person ({@code byPerson}: their name, then
   * {@code all}), as of {@code now}.
   */
  public List<Rates> rates(long now, boolean byPerson) throws CaseException {
    return db.tx(
        c -> {
          Map<String, int[]> by = new TreeMap<>();
          record P(String id, String dept) {}
          List<P> people =
              Db.query(
                  c,
                  byPerson
                      ? "SELECT id, COALESCE(display_name, email, id) FROM prev_people WHERE status"
                          + " = 'active'"
                      : "SELECT id, COALESCE(department, '(none)') FROM prev_people WHERE status ="
                          + " 'active'",
                  r -> new P(r.getString(1), r.getString(2)));
          for (P p : people) {
            for (String g : List.of(p.dept(), "all")) {
              int[] a = by.computeIfAbsent(g, k -> new int[8]);
              a[0]++;
            }
            int[] t =
                Db.query(
                        c,
                        "SELECT COUNT(*), SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END),"
                            + " SUM(CASE WHEN completed_at IS NULL AND due_at IS NOT NULL AND due_at < ?"
                            + " THEN 1 ELSE 0 END) FROM prev_training WHERE person = ?",
                        r -> new int[] {r.getInt(1), r.getInt(2), r.getInt(3)},
                        now,
                        p.id())
                    .get(0);
            int[] f =
                Db.query(
                        c,
                        "SELECT COUNT(*), SUM(clicked), SUM(submitted), SUM(reported) FROM prev_phishing"
                            + " WHERE person = ?",
                        r -> new int[] {r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4)},
                        p.id())
                    .get(0);
            for (String g : List.of(p.dept(), "all")) {
              int[] a = by.get(g);
              a[1] += t[0];
              a[2] += t[1];
              a[3] += t[2];
              a[4] += f[0];
              a[5] += f[1];
              a[6] += f[2];
              a[7] += f[3];
            }
          }
          List<Rates> out = new ArrayList<>();
          by.forEach(
              (g, a) -> out.add(new Rates(g, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])));
          return out;
        });
  }

  /**
   * Click and report rates per month of the simulations sent (yyyy-MM → {sent, clicked, reported}).
   */
  public Map<String, int[]> trend() throws CaseException {
    return trend(null);
  }

  /**
   * {@link #trend()} of the people of {@code department} (case-insensitive; null: everyone), as the
   * directory says now: a department's progress, whoever was in it when the mail went.
   */
  public Map<String, int[]> trend(String department) throws CaseException {
    String sql =
        department == null
            ? "SELECT sent_at, clicked, reported FROM prev_phishing"
            : "SELECT f.sent_at, f.clicked, f.reported FROM prev_phishing f"
                + " JOIN prev_people p ON p.id = f.person WHERE lower(p.department) = lower(?)";
    Object[] args = department == null ? new Object[0] : new Object[] {department};
    return db.tx(
        c -> {
          Map<String, int[]> out = new TreeMap<>();
          for (long[] r :
              Db.query(c, sql, x -> new long[] {x.getLong(1), x.getLong(2), x.getLong(3)}, args)) {
            String month = Instant.ofEpochMilli(r[0]).toString().substring(0, 7);
            int[] a = out.computeIfAbsent(month, k -> new int[3]);
            a[0]++;
            a[1] += (int) r[1];
            a[2] += (int) r[2];
          }
          return out;
        });
  }

  /** Courses past due and not completed, oldest due first. */
  public List<Overdue> overdue(long now) throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT p.id, COALESCE(p.display_name, p.email, p.id), p.department, t.course, t.due_at"
                    + " FROM prev_training t JOIN prev_people p ON p.id = t.person WHERE"
                    + " t.completed_at IS NULL AND t.due_at IS NOT NULL AND t.due_at < ? AND"
                    + " p.status = 'active' ORDER BY t.due_at",
                r ->
                    new Overdue(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getLong(5)),
                now));
  }

  /** A person's simulation results and courses, newest first, for the risk score. */
  public record History(
      List<long[]> phishing, // {sent_at, clicked, submitted, reported}
      List<Overdue> overdue) {}

  public History history(String person, long now) throws CaseException {
    return db.tx(
        c ->
            new History(
                Db.query(
                    c,
                    "SELECT sent_at, clicked, submitted, reported FROM prev_phishing WHERE person = ?"
                        + " ORDER BY sent_at DESC",
                    r -> new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)},
                    person),
                Db.query(
                    c,
                    "SELECT p.id, COALESCE(p.display_name, p.email, p.id), p.department, t.course,"
                        + " t.due_at FROM prev_training t JOIN prev_people p ON p.id = t.person WHERE"
                        + " t.person = ? AND t.completed_at IS NULL AND t.due_at IS NOT NULL AND"
                        + " t.due_at < ?",
                    r ->
                        new Overdue(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getLong(5)),
                    person,
                    now)));
  }
}
