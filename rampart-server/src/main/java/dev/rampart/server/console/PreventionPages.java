package dev.rampart.server.console;

import dev.rampart.auth.Permission;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.io.Csv;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.reviews.AccessReviews;
import dev.rampart.prevention.training.Awareness;
import dev.rampart.server.Platform;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console's preventive-controls pages: the page a SOC lead takes to management (training
 * completion and phishing rates per department with the monthly trend, access-review progress,
 * revoked access still present, patch SLA compliance from vulnerability management, MTTD and MTTR
 * from incidents; printable), the access-review campaigns with a form to start one, and a
 * campaign's page where reviewers confirm or revoke each privileged membership.
 */
final class PreventionPages {
  private final Console console;
  private final Platform platform;

  PreventionPages(Console console, Platform platform) {
    this.console = console;
    this.platform = platform;
  }

  void register(JavalinConfig config) {
    config.routes.get("/prevention", ctx -> show(ctx, false, null, null));
    config.routes.get("/prevention/report", ctx -> show(ctx, true, null, null));
    config.routes.get("/prevention/report.csv", this::csv);
    config.routes.post("/reviews/start", this::start);
    config.routes.get("/reviews/{id}", ctx -> review(ctx, ctx.pathParam("id"), null, null));
    config.routes.post("/reviews/decide", this::decide);
  }

  private void show(Context ctx, boolean printable, String message, String error)
      throws CaseException {
    Views.User u = console.user(ctx, Permission.IDENTITIES_READ);
    if (u == null) {
      return;
    }
    var p = platform.prevention();
    long now = System.currentTimeMillis();
    int people = 0;
    int privileged = 0;
    int highRisk = 0;
    for (Directory.Person who : p.directory().people()) {
      if (!who.active()) {
        continue;
      }
      people++;
      if (who.privileged()) {
        privileged++;
      }
      if (p.risk(who).raisesPriority()) {
        highRisk++;
      }
    }
    List<Views.RateRow> rates = new ArrayList<>();
    for (Awareness.Rates r : p.awareness().rates(now)) {
      rates.add(
          new Views.RateRow(
              r.group(),
              r.people(),
              pct(r.completionRate(), r.assigned()),
              r.overdue(),
              r.sent(),
              pct(r.clickRate(), r.sent()),
              pct(r.reportRate(), r.sent())));
    }
    List<Views.TrendRow> trend = new ArrayList<>();
    p.awareness()
        .trend()
        .forEach(
            (m, v) ->
                trend.add(
                    new Views.TrendRow(
                        m,
                        v[0],
                        v[0] == 0 ? 0 : (int) Math.round(100.0 * v[1] / v[0]),
                        v[0] == 0 ? 0 : (int) Math.round(100.0 * v[2] / v[0]))));
    List<AccessReviews.Status> campaigns = new ArrayList<>();
    for (AccessReviews.Campaign c : p.reviews().campaigns()) {
      campaigns.add(p.reviews().status(c.id(), now));
    }
    List<Views.SlaLine> sla = new ArrayList<>();
    for (var row : platform.vuln().store().slaReport()) {
      int due = row.open() + row.fixed();
      if (due == 0) {
        continue;
      }
      sla.add(
          new Views.SlaLine(
              row.severity(),
              row.open(),
              row.overdue(),
              row.fixed(),
              String.format(
                  Locale.ROOT, "%.0f%%", 100.0 * (due - row.overdue()) / Math.max(1, due))));
    }
    var m = platform.cases().metrics();
    console.render(
        ctx,
        "prevention.jte",
        new Views.Prevention(
            u,
            printable,
            people,
            privileged,
            highRisk,
            rates,
            trend,
            campaigns,
            p.reviews().revokedButPresent(),
            p.awareness().overdue(now),
            sla,
            dev.rampart.core.time.Durations.readable(m.mttdMillis()),
            dev.rampart.core.time.Durations.readable(m.mttrMillis()),
            m.incidents(),
            Console.TIME.format(Instant.ofEpochMilli(now)),
            message,
            error));
  }

  /**
   * The report's figures as CSV for a spreadsheet: one row per figure (section, group, metric,
   * value).
   */
  private void csv(Context ctx) throws CaseException {
    Views.User u = console.user(ctx, Permission.IDENTITIES_READ);
    if (u == null) {
      return;
    }
    var p = platform.prevention();
    long now = System.currentTimeMillis();
    StringBuilder out = new StringBuilder("section,group,metric,value\n");
    for (Awareness.Rates r : p.awareness().rates(now)) {
      row(out, "training", r.group(), "people", r.people());
      row(out, "training", r.group(), "assigned", r.assigned());
      row(out, "training", r.group(), "completed", r.completed());
      row(out, "training", r.group(), "overdue", r.overdue());
      row(out, "phishing", r.group(), "sent", r.sent());
      row(out, "phishing", r.group(), "clicked", r.clicked());
      row(out, "phishing", r.group(), "submitted", r.submitted());
      row(out, "phishing", r.group(), "reported", r.reported());
    }
    for (var e : p.awareness().trend().entrySet()) {
      row(out, "phishing-trend", e.getKey(), "sent", e.getValue()[0]);
      row(out, "phishing-trend", e.getKey(), "clicked", e.getValue()[1]);
      row(out, "phishing-trend", e.getKey(), "reported", e.getValue()[2]);
    }
    for (AccessReviews.Campaign c : p.reviews().campaigns()) {
      AccessReviews.Status s = p.reviews().status(c.id(), now);
      row(out, "access-review", c.name(), "items", s.items());
      row(out, "access-review", c.name(), "open", s.open());
      row(out, "access-review", c.name(), "confirmed", s.confirmed());
      row(out, "access-review", c.name(), "revoked", s.revoked());
    }
    row(out, "access-review", "all", "revoked-but-present", p.reviews().revokedButPresent().size());
    for (var r : platform.vuln().store().slaReport()) {
      row(out, "patch-sla", r.severity(), "open", r.open());
      row(out, "patch-sla", r.severity(), "overdue", r.overdue());
      row(out, "patch-sla", r.severity(), "fixed", r.fixed());
    }
    var m = platform.cases().metrics();
    row(out, "incidents", "all", "count", m.incidents());
    row(
        out,
        "incidents",
        "all",
        "mttd_minutes",
        m.mttdMillis() == null ? "" : Math.round(m.mttdMillis() / 60_000.0));
    row(
        out,
        "incidents",
        "all",
        "mttr_minutes",
        m.mttrMillis() == null ? "" : Math.round(m.mttrMillis() / 60_000.0));
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"rampart-prevention.csv\"");
    ctx.result(out.toString());
  }

  private static void row(
      StringBuilder out, String section, String group, String metric, Object v) {
    out.append(section)
        .append(',')
        .append(Csv.cell(group))
        .append(',')
        .append(metric)
        .append(',')
        .append(v)
        .append('\n');
  }

  private static String pct(double rate, int of) {
    return of == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * rate);
  }

  private void start(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, Permission.IDENTITIES_WRITE);
    if (u == null) {
      return;
    }
    var p = platform.prevention();
    String name = ctx.formParam("name");
    int days;
    try {
      days = Integer.parseInt(String.valueOf(ctx.formParam("due_days")).strip());
    } catch (NumberFormatException e) {
      days = -1;
    }
    if (name == null || name.isBlank() || name.length() > 200 || days < 1 || days > 365) {
      ctx.status(400);
      show(ctx, false, null, "A campaign needs a name (1 to 200 characters) and 1 to 365 days.");
      return;
    }
    String fallback = null;
    String who = ctx.formParam("fallback_reviewer");
    if (who != null && !who.isBlank()) {
      Directory.Person r = p.directory().byAccount(who.strip());
      if (r == null) {
        ctx.status(400);
        show(ctx, false, null, "No identity for '" + who.strip() + "': import identities first.");
        return;
      }
      fallback = r.id();
    }
    AccessReviews.Campaign c =
        p.reviews()
            .start(
                name.strip(), System.currentTimeMillis() + days * 86_400_000L, fallback, u.name());
    ctx.redirect("/reviews/" + c.id());
  }

  private void review(Context ctx, String id, String message, String error) throws CaseException {
    Views.User u = console.user(ctx, Permission.IDENTITIES_READ);
    if (u == null) {
      return;
    }
    var reviews = platform.prevention().reviews();
    AccessReviews.Status s;
    try {
      s = reviews.status(id, System.currentTimeMillis());
    } catch (CaseException e) {
      ctx.status(404);
      show(ctx, false, null, e.getMessage());
      return;
    }
    console.render(
        ctx,
        "review.jte",
        new Views.Review(
            u,
            s,
            Instant.ofEpochMilli(s.campaign().dueAt()).toString().substring(0, 10),
            reviews.items(id),
            message,
            error));
  }

  private void decide(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, Permission.REVIEWS_DECIDE);
    if (u == null) {
      return;
    }
    String campaign = ctx.formParam("campaign");
    String item = ctx.formParam("item");
    String decision = ctx.formParam("decision");
    if (campaign == null || item == null || decision == null) {
      ctx.status(400);
      show(ctx, false, null, "A decision names its campaign, item and decision.");
      return;
    }
    try {
      AccessReviews.Item i =
          platform
              .prevention()
              .reviews()
              .decide(item, decision, ctx.formParam("comment"), u.name());
      review(
          ctx,
          campaign,
          i.personLabel() + " in " + i.group() + ": " + i.decision() + " recorded.",
          null);
    } catch (CaseException e) {
      ctx.status(e.kind() == CaseException.Kind.CONFLICT ? 409 : 400);
      review(ctx, campaign, null, e.getMessage());
    }
  }
}
