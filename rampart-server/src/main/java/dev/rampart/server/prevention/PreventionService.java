package dev.rampart.server.prevention;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.io.Problem;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.identity.IdentityReader;
import dev.rampart.prevention.reviews.AccessReviews;
import dev.rampart.prevention.risk.IdentityRisk;
import dev.rampart.prevention.training.Awareness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preventive controls in the running platform, on the case database: the directory, training and
 * simulation results, access reviews, and identity risk, for the API and the console. Uploaded
 * files go through a private temporary file (the readers take files, as the CLI's do).
 */
public final class PreventionService {
  private final Directory directory;
  private final Awareness awareness;
  private final AccessReviews reviews;
  private final dev.rampart.prevention.reviews.ApprovedChanges changes;

  private final dev.rampart.cases.queue.AlertQueue queue;

  public PreventionService(CaseStore cases) {
    this.directory = Directory.open(cases.db());
    this.queue = cases.queue();
    this.awareness = new Awareness(directory);
    this.reviews = new AccessReviews(directory);
    this.changes = new dev.rampart.prevention.reviews.ApprovedChanges(directory);
  }

  public Directory directory() {
    return directory;
  }

  public Awareness awareness() {
    return awareness;
  }

  public AccessReviews reviews() {
    return reviews;
  }

  public dev.rampart.prevention.reviews.ApprovedChanges changes() {
    return changes;
  }

  /**
   * What triage asks of preventive controls: a change to a privileged group that an approval or a
   * review explains is taken off the queue (with the reason in the audit trail); an alert about a
   * high-risk identity gets an incident one priority higher. Failures here never stop triage: they
   * are said and the alert goes on as it would without prevention.
   */
  public dev.rampart.cases.triage.Triage.Identities triageContext(
      java.util.function.Consumer<String> say) {
    return new dev.rampart.cases.triage.Triage.Identities() {
      @Override
      public String approved(dev.rampart.alerting.alert.Alert a) {
        var change = dev.rampart.prevention.reviews.ApprovedChanges.change(a.matched());
        if (change == null) {
          return null;
        }
        try {
          return changes.approved(change, a.eventTime() / 1_000_000L);
        } catch (CaseException | RuntimeException e) {
          say.accept(
              "prevention: approved changes not checked for " + a.id() + ": " + e.getMessage());
          return null;
        }
      }

      @Override
      public String raise(dev.rampart.alerting.alert.Alert a) {
        String user = a.entities().user();
        if (user == null) {
          return null;
        }
        try {
          Directory.Person p = directory.byAccount(user);
          if (p == null) {
            return null;
          }
          var s = risk(p);
          if (!s.raisesPriority()) {
            return null;
          }
          List<String> why = new ArrayList<>();
          for (var r : s.reasons()) {
            why.add(r.why());
          }
          return "identity risk of "
              + p.label()
              + " is "
              + s.level()
              + " ("
              + s.value()
              + ": "
              + String.join("; ", why)
              + ")";
        } catch (CaseException | RuntimeException e) {
          say.accept("prevention: identity risk not checked for " + a.id() + ": " + e.getMessage());
          return null;
        }
      }
    };
  }

  /** What an upload did, for the API and the console. */
  public record Imported(Map<String, Object> summary, List<String> problems, boolean refusedRows) {}

  /** Identities from an uploaded export ({@code filename} tells its format when it can). */
  public Imported importIdentities(
      String filename, String body, IdentityReader.Format format, boolean prune, String actor)
      throws IOException, CaseException {
    String name = safe(filename, "upload.csv");
    Path tmp = upload(name, body);
    try {
      IdentityReader.Format f = format != null ? format : IdentityReader.Format.of(tmp);
      IdentityReader.Result read = IdentityReader.read(tmp, f);
      Directory.ImportOptions o = Directory.ImportOptions.of(name, actor);
      Directory.ImportReport r =
          directory.importPeople(
              read.people(),
              new Directory.ImportOptions(name, o.mergeOn(), o.privileged(), prune, actor));
      List<Problem> problems = new ArrayList<>(read.problems());
      problems.addAll(r.problems());
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("read", read.people().size());
      s.put("added", r.added());
      s.put("updated", r.updated());
      s.put("removed", r.removed());
      s.put("merged", r.merges());
      return new Imported(
          s, located(problems, tmp, name), problems.stream().anyMatch(Problem::isError));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Training or phishing-simulation results from an upload. */
  public Imported importAwareness(String filename, String body, String actor)
      throws IOException, CaseException {
    String name = safe(filename, "upload.csv");
    Path tmp = upload(name, body);
    try {
      Awareness.ImportReport r = awareness.importFile(tmp, actor);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
      s.put("rows", r.rows());
      s.put("stored", r.stored());
      return new Imported(
          s, located(r.problems(), tmp, name), r.problems().stream().anyMatch(Problem::isError));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** What a round of reminders did. */
  public record Reminded(int sent, int failed, int unreachable, List<String> errors) {}

  /**
   * Sends the reminders due at {@code now} (reviewers of overdue review items, people with overdue
   * courses) through {@code smtp}; what went is marked, what did not is tried next round.
   */
  public Reminded remind(
      dev.rampart.playbooks.playbook.Settings.Smtp smtp, long now, String consoleUrl)
      throws CaseException {
    var reminders = new dev.rampart.prevention.reviews.Reminders(directory);
    var due = reminders.due(now, consoleUrl);
    int sent = 0;
    int failed = 0;
    List<String> errors = new ArrayList<>();
    for (var r : due.mails()) {
      var s = dev.rampart.playbooks.run.Mailer.send(smtp, List.of(r.to()), r.subject(), r.body());
      if (s.ok()) {
        reminders.sent(r, now);
        sent++;
      } else {
        failed++;
        errors.add(r.to() + ": " + s.detail());
      }
    }
    return new Reminded(sent, failed, due.unreachable(), errors);
  }

  /** The identity-risk level of an alert's user, or null when the directory does not know them. */
  public String riskLevel(dev.rampart.alerting.alert.Alert a) {
    String user = a.entities().user();
    if (user == null) {
      return null;
    }
    try {
      Directory.Person p = directory.byAccount(user);
      return p == null ? null : risk(p).level();
    } catch (CaseException | RuntimeException e) {
      return null; // a playbook trigger on risk does not fire rather than fire wrongly
    }
  }

  /**
   * A person's risk now, counting the alerts of the last 30 days about any of their accounts (as
   * the accounts, their local parts and their email appear as an alert's user).
   */
  public IdentityRisk.Score risk(Directory.Person p) throws CaseException {
    long now = System.currentTimeMillis();
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (String a : p.accounts()) {
      names.addAll(dev.rampart.prevention.identity.Names.accountKeys(a));
    }
    if (p.email() != null) {
      names.addAll(dev.rampart.prevention.identity.Names.accountKeys(p.email()));
    }
    int alerts = queue == null ? 0 : queue.countAbout(names, now - 30 * 86_400_000L);
    return IdentityRisk.score(p, awareness.history(p.id(), now), alerts, now);
  }

  private static Path upload(String name, String body) throws IOException {
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : ".csv";
    Path tmp = Files.createTempFile("rampart-upload", ext);
    Files.writeString(tmp, body, StandardCharsets.UTF_8);
    return tmp;
  }

  /** Problems name the uploaded file, not the temporary one. */
  private static List<String> located(List<Problem> problems, Path tmp, String name) {
    List<String> out = new ArrayList<>();
    for (Problem p : problems) {
      out.add(p.toString().replace(tmp.toString(), name));
    }
    return out;
  }

  private static String safe(String filename, String fallback) {
    if (filename == null || filename.isBlank()) {
      return fallback;
    }
    String n = Path.of(filename).getFileName().toString();
    return n.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
