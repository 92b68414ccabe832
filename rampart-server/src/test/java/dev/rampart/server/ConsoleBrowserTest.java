package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.ingest.server.IngestConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver): sign in, see an
 * incident arrive in the queue without reloading, open it, acknowledge it, assign it, add a note; a
 * viewer sees no controls and cannot post; no page opens without a session. Screenshots go to
 * target/screenshots.
 */
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;

  static Alert alert(String id, String host) {
    return alert(id, host, 1_767_571_201_000_000_000L);
  }

  static Alert alert(String id, String host, long detectedAt) {
    return new Alert(
        id,
        "rule-brute",
        "SSH brute force",
        "high",
        List.of("attack.t1110"),
        List.of("T1110"),
        List.of(7L),
        1_767_571_200_000_000_000L,
        detectedAt,
        Map.of(),
        new Alert.Entities(host, "root", "203.0.113.7", "sshd"),
        null);
  }

  WebDriver browser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI must install chromium and chromium-driver (.ci/run)");
    }
    assumeTrue(present, "skipped: Debian's chromium and chromium-driver are not installed");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + dir.resolve("chrome-profile"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, o);
  }

  /**
   * A wait that looks again when the page changed under it: when htmx swaps an element between
   * Selenium finding it and reading it, Chrome answers "Node with given id does not belong to the
   * document", not a stale-element error the waits already retry.
   */
  static WebDriverWait patient(WebDriver d, int seconds) {
    WebDriverWait w = new WebDriverWait(d, Duration.ofSeconds(seconds));
    w.ignoring(org.openqa.selenium.WebDriverException.class);
    return w;
  }

  static void shot(WebDriver d, String name) throws Exception {
    Path out = Path.of("target", "screenshots");
    Files.createDirectories(out);
    Files.write(
        out.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
  }

  Platform platform() throws Exception {
    return platform(List.of());
  }

  Platform platform(List<Path> rules) throws Exception {
    return platform(rules, "");
  }

  Platform platform(List<Path> rules, String extraYaml) throws Exception {
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config,
        "data: "
            + dir.resolve("data")
            + "\ninputs:\n  - {type: syslog-udp, port: 0}\napi: {port: 0}\n"
            + extraYaml);
    return Platform.start(
        new Platform.Options(IngestConfig.load(config), ServerConfig.load(config), rules, l -> {}));
  }

  @Test
  void anAnalystWorksAnIncidentInTheBrowser() throws Exception {
    try (Platform p = platform()) {
      String base = "http://127.0.0.1:" + p.apiPort();
      WebDriver d = browser();
      try {
        WebDriverWait wait = patient(d, 20);
        d.get(base + "/");
        assertThat(d.getCurrentUrl()).endsWith("/login"); // no session, no page
        d.findElement(By.id("name")).sendKeys("admin");
        d.findElement(By.id("password")).sendKeys("wrong password");
        d.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error")));
        assertThat(d.findElement(By.cssSelector(".error")).getText())
            .contains("Wrong name or password");
        d.findElement(By.id("name")).sendKeys("admin");
        d.findElement(By.id("password")).sendKeys(p.adminPassword());
        d.findElement(By.id("sign-in")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("rows"), "Nothing here"));
        shot(d, "01-empty-queue");

        // an incident arrives while the page is open: htmx brings it in
        p.triage().accept(List.of(alert("a1", "ws-07")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.incident-link")));
        assertThat(d.findElement(By.cssSelector("a.incident-link")).getText())
            .isEqualTo("SSH brute force on ws-07");
        // the SLA timer that runs, in a few words: acknowledgement first
        assertThat(d.findElement(By.id("rows")).getText()).contains("ack in ");
        shot(d, "02-queue");

        d.findElement(By.cssSelector("a.incident-link")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "new"));
        d.findElement(By.id("to-acknowledged")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "acknowledged"));
        // its ATT&CK techniques lead to MITRE; acknowledged, the resolution SLA is the one running
        assertThat(d.findElement(By.cssSelector("#techniques a")).getAttribute("href"))
            .isEqualTo("https://attack.mitre.org/techniques/T1110/");
        assertThat(d.findElement(By.cssSelector("#incident-alerts")).getText()).contains("T1110");
        assertThat(d.findElement(By.id("due")).getText()).startsWith("resolve ");
        d.findElement(By.id("owner-input")).clear();
        d.findElement(By.id("owner-input")).sendKeys("admin");
        d.findElement(By.id("assign")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("owner"), "admin"));
        d.findElement(By.id("note-text"))
            .sendKeys("Blocked 203.0.113.7 at the edge. <b>not bold</b>");
        d.findElement(By.id("add-note")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("notes"), "Blocked 203.0.113.7"));
        assertThat(d.findElement(By.id("notes")).getText()).contains("<b>not bold</b>"); // escaped
        assertThat(d.findElement(By.id("timeline")).getText())
            .contains("status: new -> acknowledged", "owner", "comment");
        shot(d, "03-incident");
        // the alert's event, and the hunt from here: the host and user around its alerts
        assertThat(
                d.findElement(By.cssSelector("#incident-alerts a.alert-event"))
                    .getAttribute("href"))
            .endsWith("/events/7");
        assertThat(d.findElements(By.cssSelector("#pivots a.pivot")))
            .extracting(WebElement::getText)
            .containsExactly("Events on ws-07", "Events of root");
        assertThat(d.findElement(By.cssSelector("#pivots a.pivot")).getAttribute("href"))
            .contains("q=host.name%3A%22ws-07%22+OR+rampart.host%3A%22ws-07%22")
            .contains("&from=2026-01-04T23%3A00%3A00Z&to=2026-01-05T01%3A00%3A00Z");
        // its write-up for a handover, as the browser's session downloads it
        String exportHref = d.findElement(By.id("export-html")).getAttribute("href");
        HttpResponse<String> writeUp = fetchAs(d, exportHref);
        assertThat(writeUp.statusCode()).isEqualTo(200);
        assertThat(writeUp.headers().firstValue("Content-Disposition"))
            .hasValueSatisfying(v -> assertThat(v).contains("incident-", ".html"));
        assertThat(writeUp.body())
            .contains("<h1>Incident: ", "Blocked 203.0.113.7", "&lt;b&gt;not bold&lt;/b&gt;");

        // event search: events reach the store through the spool; a query error shows its column
        var spool = p.ingest().spool();
        var enc = new dev.rampart.ingest.spool.EventCodec.Encoder();
        var sink = new dev.rampart.ingest.spool.ByteSink(1024);
        long now = dev.rampart.core.event.Timestamps.fromInstant(java.time.Instant.now());
        for (int i = 0; i < 30; i++) {
          dev.rampart.core.event.Event e = new dev.rampart.core.event.Event();
          e.timestamp(now - i * 60_000_000_000L);
          e.put("host.name", new dev.rampart.core.event.Value.Str(i % 3 == 0 ? "ws-07" : "ws-08"));
          e.put("event.code", new dev.rampart.core.event.Value.Str("4625"));
          e.put("user.name", new dev.rampart.core.event.Value.Str("user" + (i % 2)));
          sink.reset();
          enc.encode(e, sink);
          byte[] b = sink.toByteArray();
          spool.appendEncoded(b, 0, b.length);
        }
        // more logons than a page holds, by a user whose name is a spreadsheet formula
        for (int i = 0; i < 110; i++) {
          dev.rampart.core.event.Event e = new dev.rampart.core.event.Event();
          e.timestamp(now - i * 1_000_000_000L);
          e.put("host.name", new dev.rampart.core.event.Value.Str("ws-09"));
          e.put("event.code", new dev.rampart.core.event.Value.Str("4624"));
          e.put("user.name", new dev.rampart.core.event.Value.Str("=cmd|' /C calc'!A0"));
          sink.reset();
          enc.encode(e, sink);
          byte[] b = sink.toByteArray();
          spool.appendEncoded(b, 0, b.length);
        }
        spool.syncTo(spool.end());
        d.get(base + "/search");
        WebDriverWait slow = patient(d, 30);
        slow.until(
            x -> {
              x.get(base + "/search?q=event.code:4625&range=24h");
              return x.findElement(By.id("summary")).getText().startsWith("30 events");
            });
        assertThat(d.findElements(By.cssSelector(".histogram .hbar"))).isNotEmpty();
        assertThat(d.findElement(By.cssSelector(".facets")).getText())
            .contains("host.name", "ws-08");
        shot(d, "05-search");
        // a top value narrows the search to it
        d.findElements(By.cssSelector(".facets a")).stream()
            .filter(a -> a.getText().equals("ws-07"))
            .findFirst()
            .orElseThrow()
            .click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "10 events"));
        assertThat(d.findElement(By.id("q")).getAttribute("value"))
            .isEqualTo("event.code:4625 AND host.name:\"ws-07\"");
        // an investigation's window: from and to replace the range
        String from = dev.rampart.core.event.Timestamps.format(now - 570_000_000_000L);
        String to = dev.rampart.core.event.Timestamps.format(now - 270_000_000_000L);
        d.get(base + "/search?q=event.code:4625&from=" + from + "&to=" + to);
        assertThat(d.findElement(By.id("summary")).getText())
            .startsWith("5 events matched in " + from + " to " + to);
        assertThat(d.findElement(By.id("from")).getAttribute("value")).isEqualTo(from);
        d.get(base + "/search?q=*&from=yesterday");
        assertThat(d.findElement(By.id("query-error")).getText())
            .contains("from wants a time such as");
        // a page at a time, older ones a link away
        d.get(base + "/search?q=event.code:4624&range=24h");
        assertThat(d.findElements(By.cssSelector("#results tbody tr"))).hasSize(100);
        d.findElement(By.id("older")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("summary"), "events 101 to 110 shown"));
        assertThat(d.findElements(By.cssSelector("#results tbody tr"))).hasSize(10);
        assertThat(d.findElements(By.id("older"))).isEmpty();
        // the whole result as a download: every page, and no formula a spreadsheet would run
        HttpResponse<String> csv =
            fetchAs(d, d.findElement(By.id("export-csv")).getAttribute("href"));
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines).hasSize(111);
        assertThat(lines.getFirst()).startsWith("'@timestamp,_id,"); // Excel reads @x as a formula
        assertThat(lines.get(1)).contains(",'=cmd|' /C calc'!A0").doesNotContain(",=cmd");
        HttpResponse<String> ndjson =
            fetchAs(d, base + "/search/export?q=event.code:4624&range=24h&format=ndjson");
        assertThat(ndjson.body().lines())
            .hasSize(110)
            .allSatisfy(l -> assertThat(l).startsWith("{").contains("\"=cmd|"));
        assertThat(fetchAs(d, base + "/search/export?q=user.name:(&format=csv").statusCode())
            .isEqualTo(400);
        assertThat(p.cases().db().audit(5))
            .anyMatch(
                e ->
                    e.action().equals("events.export")
                        && e.target().equals("event.code:4624")
                        && e.detail().startsWith("csv, 110 rows"));
        // a search kept by name: saved from the page, run from the menu, deleted from the list
        d.get(base + "/search?q=event.code:4624&range=7d");
        d.findElement(By.cssSelector("#save-menu summary")).click();
        d.findElement(By.id("save-name")).sendKeys("Logons by a formula");
        d.findElement(By.id("save-shared")).click();
        d.findElement(By.id("save-alert")).click(); // and it alerts, every 15 minutes by default
        d.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("saved-notice")));
        assertThat(d.findElement(By.id("saved-notice")).getText())
            .isEqualTo("Saved as 'Logons by a formula'.");
        assertThat(d.findElement(By.id("range")).getAttribute("value")).isEqualTo("7d");
        d.get(base + "/search");
        d.findElement(By.cssSelector("#saved-menu summary")).click();
        d.findElement(By.linkText("Logons by a formula")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "110 events"));
        assertThat(d.findElement(By.id("q")).getAttribute("value")).isEqualTo("event.code:4624");
        d.get(base + "/search/saved");
        assertThat(d.findElement(By.id("saved-list")).getText())
            .contains("Logons by a formula", "event.code:4624", "the last 7d", "shared")
            .contains("alerts (medium) every 15m above 0 events");
        shot(d, "05c-saved-searches");
        d.findElement(By.cssSelector("#saved-list button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(d.findElement(By.id("saved-list")).getText()).contains("No saved searches yet.");
        d.get(base + "/search?q=event.code:4625&range=24h");
        d.findElement(By.id("q")).clear();
        d.findElement(By.id("q")).sendKeys("event.code:4625 | stats count() by host.name");
        d.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("results"), "ws-07"));
        assertThat(d.findElement(By.id("results")).getText()).contains("count()", "20", "10");
        d.findElement(By.id("q")).clear();
        d.findElement(By.id("q")).sendKeys("user.name:alice | stats sum() by host");
        d.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("query-error")));
        assertThat(d.findElement(By.id("query-error")).getText())
            .contains("^", "sum() needs a field");
        // an event's detail with the events around it on its host
        d.get(base + "/search?q=event.code:4625&range=24h");
        d.findElements(By.cssSelector("a.event-link")).get(1).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("context")));
        assertThat(d.findElement(By.id("fields")).getText()).contains("event.code", "4625");
        assertThat(d.findElement(By.id("event-host")).getAttribute("href"))
            .matches(".*/entities/host/ws-0[78]");
        // its host and user fields lead to their pages too
        assertThat(d.findElements(By.cssSelector("#fields a.entity-page")))
            .extracting(x -> x.getAttribute("href").replaceAll(".*/entities/", ""))
            .hasSize(2)
            .anyMatch(h -> h.matches("host/ws-0[78]"))
            .anyMatch(h -> h.matches("user/user[01]"));
        assertThat(d.findElements(By.cssSelector("#context tr.current"))).hasSize(1);
        assertThat(d.findElements(By.cssSelector("#context tbody tr")).size()).isGreaterThan(1);
        shot(d, "05b-event");
        // the host's page, from its incident: its events, alerts, incidents and users in one place
        String eventPage = d.getCurrentUrl();
        d.get(base + "/");
        d.findElement(By.cssSelector("a.incident-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("incident-host")));
        assertThat(d.findElement(By.id("incident-user")).getAttribute("href"))
            .endsWith("/entities/user/root");
        d.findElement(By.id("incident-host")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("entity-name")));
        assertThat(d.getTitle()).contains("Host ws-07");
        assertThat(d.findElement(By.id("entity-events")).getText()).isEqualTo("10");
        // its alert is older than the last 7 days; its incident is not over
        assertThat(d.findElement(By.id("entity-alerts")).getText()).isEqualTo("0");
        assertThat(d.findElement(By.id("entity-incident-table")).getText())
            .contains("SSH brute force on ws-07", "acknowledged");
        assertThat(d.findElement(By.id("entity-log-types")).getText()).contains("nothing yet");
        assertThat(d.findElements(By.id("entity-chart"))).isNotEmpty();
        assertThat(d.findElement(By.id("entity-search")).getAttribute("href"))
            .contains("q=host.name%3A%22ws-07%22+OR+rampart.host%3A%22ws-07%22", "range=7d");
        shot(d, "05d-host");
        // on to a user seen on it, and from there to the hosts that user was seen on
        d.findElement(By.linkText("user0")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("entity-name")));
        assertThat(d.getTitle()).contains("User user0");
        assertThat(d.findElement(By.id("entity-events")).getText()).isEqualTo("15");
        assertThat(d.findElement(By.id("entity-related")).getText()).contains("ws-07", "ws-08");
        assertThat(d.findElement(By.id("entity-alert-list")).getAttribute("href"))
            .endsWith("/alerts?user=user0");
        d.get(base + "/entities/user/user0?range=24h");
        assertThat(d.findElement(By.id("entity-range")).getText()).contains("24 hours");
        assertThat(fetchAs(d, base + "/entities/printer/x").statusCode()).isEqualTo(404);
        // a wrong link is a console page that says what is missing and leads back
        d.get(base + "/incidents/no-such-incident");
        assertThat(d.findElement(By.id("not-found")).getText())
            .isEqualTo("No incident no-such-incident.");
        assertThat(d.findElement(By.id("back")).getAttribute("href")).isEqualTo(base + "/");
        assertThat(d.findElement(By.cssSelector("header.bar nav")).getText()).contains("Search");
        d.get(eventPage);
        // the event as evidence of the open incident, with why
        String eventId = eventPage.substring(eventPage.lastIndexOf('/') + 1);
        assertThat(d.findElement(By.id("evidence-incident")).getText())
            .contains("SSH brute force on ws-07 (acknowledged)");
        d.findElement(By.id("evidence-note")).sendKeys("the logon failures before it");
        d.findElement(By.id("add-evidence")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("title")));
        assertThat(d.getPageSource()).contains("event " + eventId, "the logon failures before it");
        d.get(eventPage);
        d.findElement(By.id("add-evidence")).click(); // twice is refused, and says why
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(d.findElement(By.id("message")).getText())
            .contains("event " + eventId + " is already evidence of");
        d.get(eventPage);
        // every value searches for itself a day either side; the host's hour is a link away
        assertThat(d.findElement(By.id("host-hour")).getText())
            .startsWith("Everything on ws-0")
            .endsWith("an hour either side");
        d.findElements(By.cssSelector("#fields a.value")).stream()
            .filter(a -> a.getText().equals("4625"))
            .findFirst()
            .orElseThrow()
            .click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "30 events"));
        assertThat(d.findElement(By.id("q")).getAttribute("value"))
            .isEqualTo("event.code:\"4625\"");

        // the dashboard: open incidents by priority and age, the SOC lead's times
        d.get(base + "/dashboard");
        assertThat(d.findElement(By.id("open-priority")).getText()).contains("high", "1");
        assertThat(d.findElement(By.id("open-age")).getText()).contains("under 1 h");
        assertThat(d.findElement(By.id("mtta")).getText()).isNotEqualTo("-");
        assertThat(d.findElements(By.cssSelector("#alerts-by-hour .hbar"))).hasSize(24);
        wait.until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("#alerts-chart canvas")));
        assertThat(d.findElement(By.id("lag")).getText()).contains("indexing", "detection");
        shot(d, "06-dashboard");

        // the SOC report from the dashboard: the week against the week before, with its chart
        d.findElement(By.id("report-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("report-summary")));
        assertThat(d.findElement(By.id("report-summary")).getText())
            .contains("Incidents opened", "MTTA (opened to acknowledged)", "new");
        // this test's alerts were detected in January: a year's report has them
        d.findElement(By.name("last")).clear();
        d.findElement(By.name("last")).sendKeys("366d");
        d.findElement(By.cssSelector("#report-form button")).click();
        wait.until(ExpectedConditions.urlContains("last=366d"));
        assertThat(d.findElements(By.cssSelector("#report-chart rect"))).isNotEmpty();
        assertThat(d.findElement(By.id("report-rules")).getText()).contains("SSH brute force");
        shot(d, "06b-report");
        d.findElement(By.name("last")).clear();
        d.findElement(By.name("last")).sendKeys("3x");
        d.findElement(By.cssSelector("#report-form button")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".error"), "last: whole hours"));
        // the same report to keep: Markdown with the session of the browser
        HttpResponse<String> md = fetchAs(d, base + "/report/download?format=md&last=24h&end=now");
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Disposition"))
            .hasValueSatisfying(v -> assertThat(v).contains("rampart-report-", "-1-day.md"));
        assertThat(md.body()).startsWith("# SOC report: ").contains("| Incidents opened | 1 |");

        // the alert queue: each alert with the incident it went into, or none (a9 was suppressed)
        p.cases().queue().record(alert("a9", "ws-09"), "suppressed");
        d.get(base + "/alerts");
        String table = d.findElement(By.id("alerts")).getText();
        assertThat(table)
            .contains("SSH brute force", "ws-07", "ws-09", "T1110", "open", "none (suppressed)");
        assertThat(d.findElement(By.cssSelector("#alerts a.alert-event")).getAttribute("href"))
            .endsWith("/events/7"); // the event it fired on, a click away
        d.findElement(By.cssSelector("input[value=a9]")).click();
        // a new alert arrives while the page is open: it appears on top, the check mark stays
        p.triage().accept(List.of(alert("a3", "ws-10", 1_767_571_300_000_000_000L)));
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody.fresh input[value=a3]")));
        assertThat(d.findElement(By.cssSelector("input[value=a9]")).isSelected()).isTrue();
        d.findElement(By.cssSelector("input[value=a3]")).click();
        shot(d, "07a-alerts-live");
        d.findElement(By.id("acknowledge")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("message"), "2 alerts acknowledged."));
        assertThat(p.cases().queue().get("a3", java.util.Set.of()).state())
            .isEqualTo("acknowledged");
        assertThat(p.cases().queue().get("a1", java.util.Set.of()).state()).isEqualTo("new");
        d.findElement(By.cssSelector("input[value=a1]")).click();
        d.findElement(By.id("assignee")).sendKeys("admin");
        d.findElement(By.id("assign-alerts")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("message"), "1 alert assigned to admin."));
        d.get(base + "/alerts?state=new");
        assertThat(d.findElement(By.id("alerts")).getText())
            .contains("ws-07")
            .doesNotContain("ws-10");
        d.findElement(By.linkText("open")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("title"), "SSH brute force on ws-07"));
        d.get(base + "/alerts?level=critical");
        assertThat(d.findElement(By.id("alerts")).getText()).contains("No alerts match");
        shot(d, "07-alerts");
        String id = p.cases().queue().get("a1", java.util.Set.of()).incidentId();
        assertThat(p.cases().get(id).owner()).isEqualTo("admin");

        // the second incident: its priority, a tag added and removed, then merged into the first
        d.get(base + "/");
        d.findElements(By.cssSelector("a.incident-link")).stream()
            .filter(a -> a.getText().equals("SSH brute force on ws-10"))
            .findFirst()
            .orElseThrow()
            .click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("title"), "ws-10"));
        String second = d.getCurrentUrl();
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("priority-input")))
            .selectByValue("critical");
        d.findElement(By.id("set-priority")).click();
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".facts .badge.p-critical")));
        d.findElement(By.id("tag-input")).sendKeys("phishing, vip");
        d.findElement(By.id("add-tag")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tags"), "vip"));
        assertThat(d.findElement(By.id("tags")).getText()).contains("phishing");
        d.findElement(By.cssSelector("#tags button[aria-label='remove vip']")).click();
        wait.until(
            ExpectedConditions.not(
                ExpectedConditions.textToBePresentInElementLocated(By.id("tags"), "vip")));
        d.findElement(By.id("tag-input")).sendKeys("no spaces allowed!");
        d.findElement(By.id("add-tag")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(d.findElement(By.id("timeline")).getText()).contains("priority", "phishing");
        assertThat(d.findElement(By.id("merge-into")).getText())
            .contains("SSH brute force on ws-07 (acknowledged)");
        d.findElement(By.id("merge")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("title"), "ws-07"));
        d.get(second);
        assertThat(d.findElement(By.id("merged")).getText()).startsWith("Merged into ");
        assertThat(d.findElements(By.id("merge"))).isEmpty();
        shot(d, "13-merged");
        // the queue filtered: mine, by tag; and a page at a time
        d.get(base + "/?owner=me");
        assertThat(d.findElement(By.id("rows")).getText())
            .contains("ws-07")
            .doesNotContain("ws-10");
        d.get(base + "/?status=all&tag=phishing");
        // the merge carried the tag to the incident that remains
        assertThat(d.findElement(By.id("rows")).getText()).contains("ws-10", "ws-07");
        assertThat(d.findElement(By.id("tag-filter")).getAttribute("value")).isEqualTo("phishing");
        d.get(base + "/?status=all&tag=vip");
        assertThat(d.findElement(By.id("rows")).getText()).contains("Nothing here");
        for (int k = 0; k < 100; k++) {
          p.cases().open("Old incident " + k, "low", List.of(alert("old" + k, "old-" + k)), "test");
        }
        d.get(base + "/?status=all");
        assertThat(d.findElements(By.cssSelector("#rows tr"))).hasSize(100);
        d.findElement(By.id("older")).click();
        wait.until(ExpectedConditions.urlContains("after="));
        assertThat(d.findElements(By.cssSelector("#rows tr"))).hasSize(2);
        assertThat(d.findElement(By.id("rows")).getAttribute("hx-get")).isNull(); // stays put
        // a cursor edited by hand: a page that says so, not the API's JSON
        d.get(base + "/?status=all&after=garbage");
        assertThat(d.findElement(By.id("error")).getText())
            .isEqualTo("not a cursor from this list: garbage");

        // the audit trail, from the settings: by action, a page at a time, the chain checked
        d.get(base + "/settings");
        d.findElement(By.id("audit-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("audit-list")));
        assertThat(d.findElements(By.cssSelector("#audit-list tbody tr"))).hasSize(100);
        d.findElement(By.id("older")).click();
        wait.until(ExpectedConditions.urlContains("before="));
        assertThat(d.findElements(By.cssSelector("#audit-list tbody tr"))).isNotEmpty();
        d.get(base + "/audit");
        d.findElement(By.id("audit-action")).sendKeys("search.");
        d.findElement(By.id("audit-verify")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("audit-check")));
        assertThat(d.findElement(By.id("audit-check")).getText()).startsWith("Intact: ");
        assertThat(d.findElements(By.cssSelector("#audit-list tbody td code")))
            .extracting(WebElement::getText)
            .containsExactly("search.delete", "search.save");
        shot(d, "14-audit");

        // the event's page lists the alerts it fired (one suppressed here: no incident changes;
        // last, as it is the newest alert)
        d.get(eventPage);
        String eventHost = d.findElement(By.id("event-host")).getText();
        long detected = System.currentTimeMillis() * 1_000_000L;
        p.cases()
            .queue()
            .record(
                new Alert(
                    "cites-" + eventId,
                    "rule-logon",
                    "Logon failures on one host",
                    "medium",
                    List.of(),
                    List.of("T1110"),
                    List.of(Long.parseLong(eventId)),
                    detected,
                    detected,
                    Map.of(),
                    new Alert.Entities(eventHost, "user0", null, null),
                    null),
                "suppressed");
        d.get(eventPage);
        assertThat(d.findElement(By.id("event-alerts")).getText())
            .contains("Logon failures on one host", "medium", "none (suppressed)");
      } finally {
        d.quit();
      }
    }
  }

  /** Signs in as admin with the first-start password. */
  @Test
  void anAdminEnrolsAnAgentSeesItsHeartbeatAndRevokesIt() throws Exception {
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config,
        "data: "
            + dir.resolve("data")
            + "\ninputs:\n  - {type: syslog-udp, port: 0}\napi: {port: 0}\n"
            + "agents: {enabled: true, bind: 127.0.0.1, port: 0}\n");
    try (Platform p =
        Platform.start(
            new Platform.Options(
                IngestConfig.load(config), ServerConfig.load(config), List.of(), l -> {}))) {
      String base = "http://127.0.0.1:" + p.apiPort();
      WebDriver d = browser();
      try {
        WebDriverWait wait = patient(d, 30);
        signIn(d, base, p);
        d.findElement(By.linkText("Agents")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("agent-list")));
        assertThat(d.findElement(By.id("agent-list")).getText()).contains("No agent enrolled yet");
        d.findElement(By.cssSelector("#new-enrolment button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("enroll-command")));
        String command = d.findElement(By.id("enroll-command")).getText();
        assertThat(command).startsWith("rampart agent enroll --server https://127.0.0.1:");
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("--server (\\S+) --fingerprint (\\S+) --token (\\S+)")
                .matcher(command);
        assertThat(m.find()).isTrue();
        dev.rampart.agent.transport.Identity id =
            dev.rampart.agent.transport.ServerLink.forEnrolment(
                    java.net.URI.create(m.group(1)), m.group(2))
                .enroll(m.group(3), "web-01", "0.1.0", m.group(2));
        dev.rampart.agent.transport.ServerLink.of(id)
            .heartbeat(
                java.util.Map.of(
                    "version",
                    "0.1.0",
                    "uptime_s",
                    7200,
                    "wal_fill",
                    0.25,
                    "watch_mode",
                    "inotify",
                    "cpu",
                    0.4,
                    "rss_mb",
                    61.0));
        d.get(base + "/agents");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.agent")));
        assertThat(d.findElement(By.cssSelector("tr.agent")).getText())
            .contains("web-01", id.agentId(), "active", "0.1.0", "2 h", "25%", "inotify", "61 MB");
        // when its certificate ends (the agent renews it itself well before)
        assertThat(d.findElement(By.cssSelector("tr.agent td.cert")).getText())
            .contains(
                id.certificate()
                    .getNotAfter()
                    .toInstant()
                    .atOffset(java.time.ZoneOffset.UTC)
                    .toLocalDate()
                    .toString());
        shot(d, "12-agents");
        d.findElement(By.cssSelector("tr.agent form button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(d.findElement(By.cssSelector("tr.agent")).getText()).contains("revoked");
      } finally {
        d.quit();
      }
    }
  }

  /**
   * A security lead imports the directory and the phishing results, starts a review campaign from
   * the console, a reviewer revokes one membership and confirms another, and the
   * preventive-controls page then shows the revoked access still present after the next import; the
   * printable report has no forms.
   */
  @Test
  void aSecurityLeadRunsAnAccessReviewCampaignInTheBrowser() throws Exception {
    try (Platform p = platform()) {
      String hr =
          "Employee ID,Name,Email,Department,Manager,Login,Groups\n"
              + "E1,Grace Hopper,grace@corp.example,IT,,ghopper,Domain Admins\n"
              + "E2,Mateo Ruiz,mateo@corp.example,IT,grace@corp.example,mateo,sudo\n";
      p.prevention().importIdentities("hr.csv", hr, null, false, "test");
      p.prevention()
          .importAwareness(
              "sim.csv",
              "Email,Campaign,Sent,Clicked,Reported\nmateo@corp.example,Invoice lure,"
                  + java.time.Instant.now().minusSeconds(3600)
                  + ",yes,no\ngrace@corp.example,Invoice lure,"
                  + java.time.Instant.now().minusSeconds(3600)
                  + ",no,yes\n",
              "test");
      String base = "http://127.0.0.1:" + p.apiPort();
      WebDriver d = browser();
      try {
        WebDriverWait wait = patient(d, 30);
        signIn(d, base, p);
        d.findElement(By.linkText("Prevention")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rates")));
        assertThat(d.findElement(By.id("privileged")).getText()).isEqualTo("2");
        assertThat(d.findElement(By.id("rates")).getText()).contains("IT", "50%");
        d.findElement(By.id("review-name")).sendKeys("Q1 privileged access");
        WebElement days = d.findElement(By.id("review-days"));
        days.clear();
        days.sendKeys("7");
        d.findElement(By.id("review-start")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("review-items")));
        assertThat(d.findElement(By.id("review-summary")).getText())
            .contains("2 memberships: 2 open");
        WebElement sudo = d.findElement(By.cssSelector("tr.item[data-group='sudo']"));
        assertThat(sudo.getText()).contains("Mateo Ruiz", "Grace Hopper");
        sudo.findElement(By.name("comment")).sendKeys("left the on-call rota");
        sudo.findElement(By.cssSelector("button.revoke")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(d.findElement(By.id("message")).getText())
            .contains("Mateo Ruiz in sudo: revoke recorded");
        d.findElement(By.cssSelector("tr.item[data-group='Domain Admins'] button.confirm")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("review-summary"), "0 open"));
        assertThat(d.findElement(By.id("review-summary")).getText())
            .contains("1 confirmed, 1 revoked");
        assertThat(d.findElement(By.cssSelector("tr.item[data-group='sudo'] .decision")).getText())
            .contains("revoke by admin: left the on-call rota");
        shot(d, "13-access-review");
        Thread.sleep(5);
        p.prevention().importIdentities("hr.csv", hr, null, false, "test"); // still in sudo
        d.get(base + "/prevention");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("revoked-present")));
        assertThat(d.findElement(By.id("revoked-present")).getText())
            .contains("Mateo Ruiz", "sudo");
        assertThat(d.findElement(By.id("campaigns")).getText()).contains("Q1 privileged access");
        d.findElement(By.id("printable")).click();
        wait.until(ExpectedConditions.urlContains("/prevention/report"));
        assertThat(d.findElements(By.id("start-review"))).isEmpty();
        assertThat(d.findElement(By.id("patch-sla")).getText()).contains("No findings tracked");
        shot(d, "14-prevention-report");

        // an incident about Mateo says who he is and why his identity is at risk
        p.triage()
            .accept(
                List.of(
                    new Alert(
                        "m-1",
                        "rule-sudo",
                        "Unusual sudo",
                        "medium",
                        List.of(),
                        List.of(),
                        List.of(9L),
                        dev.rampart.core.event.Timestamps.fromInstant(java.time.Instant.now()),
                        dev.rampart.core.event.Timestamps.fromInstant(java.time.Instant.now()),
                        Map.of(),
                        new Alert.Entities("bastion-01", "mateo", null, null),
                        null)));
        d.get(base + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.incident-link")));
        d.findElement(By.cssSelector("a.incident-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("identity")));
        assertThat(d.findElement(By.id("identity")).getText())
            .contains("Mateo Ruiz (IT)", "identity risk 45, medium", "clicked 1 phishing")
            .contains("1 alert(s) about their accounts");
      } finally {
        d.quit();
      }
    }
  }

  static dev.rampart.sigma.coverage.AttackCatalog.Technique technique(
      String id, String name, String tactic) {
    return new dev.rampart.sigma.coverage.AttackCatalog.Technique(
        id, name, List.of(tactic), false, false, null);
  }

  static void signIn(WebDriver d, String base, Platform p) {
    d.get(base + "/login");
    d.findElement(By.id("name")).sendKeys("admin");
    d.findElement(By.id("password")).sendKeys(p.adminPassword());
    d.findElement(By.id("sign-in")).click();
    patient(d, 20).until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
  }

  @Test
  void aDetectionEngineerFindsTestsAndSwitchesOffARule() throws Exception {
    try (Platform p = platform(List.of(Path.of("..", "rules")))) {
      String base = "http://127.0.0.1:" + p.apiPort();
      // two sshd lines through the syslog input: one the rule matches, one it does not
      int port = p.ingest().ports().get("syslog-udp");
      try (var udp = new java.net.DatagramSocket()) {
        for (String line :
            List.of(
                "<38>1 2026-11-28T10:00:00Z web-01 sshd 4242 - - Failed password for invalid user"
                    + " oracle from 203.0.113.7 port 50220 ssh2",
                "<38>1 2026-11-28T10:00:01Z web-01 sshd 4242 - - Accepted publickey for alice"
                    + " from 198.51.100.4 port 50221 ssh2")) {
          byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          udp.send(
              new java.net.DatagramPacket(
                  b, b.length, java.net.InetAddress.getLoopbackAddress(), port));
        }
      }
      WebDriver d = browser();
      try {
        WebDriverWait wait = patient(d, 30);
        signIn(d, base, p);
        d.get(base + "/rules?q=invalid+user");
        assertThat(d.findElement(By.id("rules")).getText())
            .contains("SSH Password Attempt For An Account That Does Not Exist");
        d.findElement(By.cssSelector("a.rule-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("yaml")));
        assertThat(d.findElement(By.id("yaml")).getText())
            .contains("f14f5ff2-ca76-4441-b374-0fe8f298a17d", "condition: selection");
        // test it against the stored events (they reach the store on the indexer's own time)
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("test-range")))
            .selectByValue("all");
        wait.until(
            x -> {
              x.findElement(By.id("run-test")).click();
              return x.findElement(By.id("test-summary")).getText().equals("1 of 2 events match.");
            });
        String explained = d.findElement(By.id("test-results")).getText();
        assertThat(explained).contains("matches", "message", "Failed password for invalid user");
        shot(d, "08-rule-test");
        // why the other event does not match
        String other =
            p.store()
                .search(dev.rampart.store.search.SearchRequest.of("message:Accepted*").withLimit(1))
                .rows()
                .get(0)
                .get("_id")
                .toString();
        d.findElement(By.id("test-event")).sendKeys(other);
        d.findElement(By.id("run-test")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("test-results"), "does not match"));
        // how often it would have fired: every stored event of the window through the rule
        d.findElement(By.id("test-event")).clear();
        d.findElement(By.id("run-backtest")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("backtest-summary"), "Would have fired on 1 of 2 events"));
        assertThat(d.findElement(By.id("backtest-hosts")).getText()).contains("web-01");
        assertThat(d.findElement(By.id("backtest-newest")).getText())
            .contains("matches", "Failed password for invalid user");
        wait.until(
            x -> x.findElement(By.id("backtest-chart")).getAttribute("class").contains("on"));
        shot(d, "08b-rule-backtest");
        // filing them as alerts: the live detector filed this one already, so it is kept once
        d.findElement(By.id("run-backfill")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("message"), "Filed 0 alerts of 1 matches (1 were filed before)"));
        assertThat(p.cases().db().audit(5)).anyMatch(e -> e.action().equals("rule.backfill"));
        // switch it off: audited, and its alerts stop before triage
        d.findElement(By.name("reason")).sendKeys("too noisy on the bastion");
        d.findElement(By.id("switch")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rule-state"), "off"));
        assertThat(p.cases().rules().isDisabled("f14f5ff2-ca76-4441-b374-0fe8f298a17d")).isTrue();
        assertThat(p.cases().db().audit(5))
            .anyMatch(
                e ->
                    e.action().equals("rule.disable")
                        && e.detail().equals("too noisy on the bastion"));
        d.get(base + "/rules?q=invalid+user");
        assertThat(d.findElement(By.id("rules")).getText()).contains("off");
        shot(d, "09-rules");
        // a hunt with the whole pack over the stored events, the rule off included; its row
        // leads to its own backtest
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("hunt-range")))
            .selectByValue("all");
        d.findElement(By.id("run-hunt")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("hunt-summary"), "in 2 events (every event of the window read)"));
        assertThat(d.findElement(By.id("hunt-results")).getText()).contains("off");
        shot(d, "09b-rules-hunt");
        d.findElement(By.cssSelector("#hunt-results a.hunt-rule")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("backtest-summary"), "of 2 events"));
        d.get(base + "/rules?q=invalid+user");
        // the ATT&CK coverage: the technique under its tactic, one of its rules now off, the
        // alert its match raised counted
        wait.until(
            x -> {
              try {
                return p.cases().queue().techniques(0, java.util.Set.of()).containsKey("T1110.001");
              } catch (Exception e) {
                return false;
              }
            });
        long alerts = p.cases().queue().techniques(0, java.util.Set.of()).get("T1110.001");
        d.findElement(By.id("coverage-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("matrix")));
        String chip = d.findElement(By.id("t-credential_access-T1110.001")).getText();
        assertThat(chip)
            .contains("T1110.001", "rules on", alerts + " alert" + (alerts == 1 ? "" : "s"));
        assertThat(d.findElement(By.id("csf")).getText()).contains("Govern", "Recover");
        assertThat(d.findElements(By.id("catalog"))).isEmpty();
        // ATT&CK's data imported meanwhile (rampart rules import-attack): names, what is covered
        // of a tactic, what is not; the running server reads it at the next request
        var cred = "credential_access";
        new dev.rampart.sigma.coverage.AttackCatalog(
                new dev.rampart.sigma.coverage.AttackCatalog.Content(
                    "Enterprise ATT&CK",
                    "17.1",
                    List.of(
                        new dev.rampart.sigma.coverage.AttackCatalog.Tactic(
                            cred, "Credential Access", "TA0006")),
                    List.of(
                        technique("T1110", "Brute Force", cred),
                        technique("T1110.001", "Password Guessing", cred),
                        technique("T1539", "Steal Web Session Cookie", cred)),
                    0))
            .write(dev.rampart.sigma.coverage.AttackCatalog.file(dir.resolve("data")));
        d.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("catalog")));
        assertThat(d.findElement(By.id("catalog")).getText()).contains("Enterprise ATT&CK 17.1");
        assertThat(d.findElement(By.id("t-credential_access-T1110.001")).getText())
            .contains("Password Guessing");
        WebElement column =
            d.findElement(By.cssSelector(".tactic[data-tactic='credential_access']"));
        assertThat(column.findElement(By.cssSelector("h3")).getText()).contains("1 of 2");
        column.findElement(By.cssSelector(".gaps summary")).click();
        assertThat(column.findElement(By.cssSelector(".gaps")).getText())
            .contains("T1539 Steal Web Session Cookie");
        shot(d, "10-coverage");
        d.findElement(By.id("t-credential_access-T1110.001")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rules")));
        assertThat(d.findElement(By.id("rules")).getText())
            .contains("SSH Password Attempt For An Account That Does Not Exist");
        String csv =
            (String)
                ((org.openqa.selenium.JavascriptExecutor) d)
                    .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                            + " fetch('/rules/coverage.csv').then(r => r.text()).then(done);");
        assertThat(csv)
            .startsWith("tactic,technique,name,rules,rules_on,alerts_30d,rule_titles,problem\n")
            .contains("credential_access,T1110.001,Password Guessing,")
            .contains("credential_access,T1539,Steal Web Session Cookie,0,0,0,,no rule");
      } finally {
        d.quit();
      }
    }
  }

  @Test
  void aSecurityLeadFiltersFindingsAndReadsThePatchSlas() throws Exception {
    try (java.net.ServerSocket open =
            new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        Platform p =
            platform(
                List.of(),
                """
                vulnerabilities:
                  scans:
                    jobs: [{asset: bastion, target: "127.0.0.1:%d", every: 1d}]
                """
                    .formatted(open.getLocalPort()))) {
      var vuln = p.vuln();
      vuln.store()
          .recordFeed(
              new dev.rampart.vuln.track.VulnStore.Feed(
                  dev.rampart.core.testing.Corpora.require("vuln/debian-security-tracker")
                      .toString(),
                  "debian-tracker",
                  8940,
                  0,
                  "2023-04-01",
                  System.currentTimeMillis(),
                  "test"));
      vuln.store()
          .recordFeed(
              new dev.rampart.vuln.track.VulnStore.Feed(
                  dev.rampart.core.testing.Corpora.require("vuln/nodejs-security-wg/vuln.zip")
                      .toString(),
                  "nodejs-security-wg",
                  467,
                  0,
                  "2020-04-27",
                  System.currentTimeMillis(),
                  "test"));
      for (String[] a :
          new String[][] {
            {"db-01", "vuln/osv-scanner-groundtruth/sbom-insecure/postgres-stretch.cdx.xml"},
            {"shop", "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json.gz"}
          }) {
        Path f = dev.rampart.core.testing.Corpora.require(a[1]);
        vuln.store()
            .importInventory(
                dev.rampart.vuln.inventory.InventoryFormat.read(f, null, a[0], null),
                new dev.rampart.vuln.track.VulnStore.ImportOptions(
                    null, a[0].equals("shop"), "high", null, f.getFileName().toString()),
                vuln.advisories(),
                "test");
      }
      String base = "http://127.0.0.1:" + p.apiPort();
      WebDriver d = browser();
      try {
        WebDriverWait wait = patient(d, 30);
        signIn(d, base, p);
        d.findElement(By.linkText("Vulnerabilities")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
        assertThat(d.findElement(By.id("findings")).getText())
            .contains("libssl1.1", "DLA-3008-1", "jsonwebtoken", "NSWG-ECO-17");
        assertThat(d.findElement(By.id("assets")).getText())
            .contains("db-01", "shop", "internet-facing", "840");
        new org.openqa.selenium.support.ui.Select(d.findElement(By.name("severity")))
            .selectByValue("high");
        d.findElement(By.cssSelector("#vuln-filters button")).click();
        wait.until(ExpectedConditions.urlContains("severity=high"));
        String high = d.findElement(By.id("findings")).getText();
        assertThat(high).contains("jws", "jsonwebtoken", "base64url").doesNotContain("libssl1.1");
        assertThat(d.findElements(By.cssSelector("#findings tr.finding"))).hasSize(4);
        shot(d, "10-vulnerabilities");
        // the scheduled scan ran at start; an analyst runs it again from the page
        wait.until(
            x -> {
              try {
                return !p.scans().list(5).isEmpty()
                    && p.scans().list(5).get(0).status().equals("done");
              } catch (Exception e) {
                return false;
              }
            });
        d.navigate().refresh();
        assertThat(d.findElement(By.id("scan-runs")).getText())
            .contains("bastion", "schedule", "done");
        d.findElement(By.cssSelector("#scan-jobs button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(d.findElement(By.id("message")).getText()).contains("queued", "bastion");
        assertThat(d.findElements(By.cssSelector("#scan-runs tr.scan"))).hasSize(2);
        assertThat(p.scans().list(5).get(0).requestedBy()).isEqualTo("admin");
        d.findElement(By.linkText("Patch SLAs and trend")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sla")));
        assertThat(d.findElement(By.id("sla")).getText()).contains("unknown", "high", "90.0 d");
        wait.until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("#vuln-chart.on canvas")));
        shot(d, "11-patch-slas");
      } finally {
        d.quit();
      }
    }
  }

  @Test
  void anAdminManagesUsersRolesTenantsAndTokens() throws Exception {
    try (Platform p = platform()) {
      String base = "http://127.0.0.1:" + p.apiPort();
      WebDriver d = browser();
      try {
        WebDriverWait wait = patient(d, 20);
        signIn(d, base, p);
        d.get(base + "/settings");
        assertThat(d.findElement(By.id("input-list")).getText()).contains("syslog-udp");
        // a custom role, then a user with it, kept to one tenant
        d.findElement(By.id("role-name")).sendKeys("triage");
        d.findElement(By.cssSelector("input[name=permissions][value='alerts:read']")).click();
        d.findElement(By.cssSelector("input[name=permissions][value='alerts:write']")).click();
        d.findElement(By.id("add-role")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "triage"));
        assertThat(d.findElement(By.id("role-list")).getText())
            .contains("triage", "alerts:read alerts:write");
        d.findElement(By.id("user-name")).sendKeys("gus");
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("user-role")))
            .selectByValue("triage");
        d.findElement(By.id("user-password")).sendKeys("a long enough passphrase");
        d.findElement(By.id("add-user")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "gus"));
        var row =
            d.findElements(By.cssSelector("#user-list tbody tr")).stream()
                .filter(r -> r.getText().startsWith("gus"))
                .findFirst()
                .orElseThrow();
        row.findElement(By.name("tenants")).sendKeys("globex");
        row.findElement(By.xpath(".//button[text()='Set tenants']")).click();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("message"), "gus sees tenants globex."));
        assertThat(p.access().tenantsOf("gus")).containsExactly("globex");
        assertThat(p.access().current("gus", "test").may(dev.rampart.auth.Permission.ALERTS_WRITE))
            .isTrue();
        // a token, shown once, then revoked
        d.findElement(By.id("token-name")).sendKeys("soar");
        d.findElement(By.cssSelector("input[name=scopes][value='alerts:read']")).click();
        d.findElement(By.id("make-token")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-token")));
        String token = d.findElement(By.id("new-token")).getText();
        assertThat(p.access().authenticate(token).permissions())
            .containsExactly(dev.rampart.auth.Permission.ALERTS_READ);
        shot(d, "10-settings");
        d.get(base + "/settings");
        assertThat(d.findElements(By.id("new-token"))).isEmpty(); // never shown again
        d.findElement(By.xpath("//table[@id='token-list']//tr[contains(., 'soar')]//button"))
            .click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "revoked"));
        assertThat(p.access().authenticate(token)).isNull();
      } finally {
        d.quit();
      }
    }
  }

  @Test
  void viewersSeeNoControlsAndFormsNeedTheirCsrfToken() throws Exception {
    try (Platform p = platform()) {
      String base = "http://127.0.0.1:" + p.apiPort();
      p.access().createUser("vera", "viewer", "a long enough passphrase", "test");
      p.triage().accept(List.of(alert("a2", "ws-08")));
      String id =
          p.cases().list(dev.rampart.cases.CaseStore.Filter.any(), 1, null).incidents().get(0).id();
      WebDriver d = browser();
      String cookie;
      try {
        d.get(base + "/login");
        d.findElement(By.id("name")).sendKeys("vera");
        d.findElement(By.id("password")).sendKeys("a long enough passphrase");
        d.findElement(By.id("sign-in")).click();
        patient(d, 20)
            .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.incident-link")));
        d.get(base + "/incidents/" + id);
        assertThat(d.findElements(By.id("to-acknowledged"))).isEmpty();
        assertThat(d.findElements(By.id("add-note"))).isEmpty();
        cookie = "rampart_session=" + d.manage().getCookieNamed("rampart_session").getValue();
        assertThat(d.manage().getCookieNamed("rampart_session").isHttpOnly()).isTrue();
        shot(d, "04-viewer");
      } finally {
        d.quit();
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/incidents/" + id + "/status"))
                  .header("Cookie", cookie)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("status=acknowledged"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(403);
      // an analyst's session without the form's token is refused too
      p.access().createUser("ann", "analyst", "a long enough passphrase", "test");
      HttpResponse<String> login =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "name=ann&password=a+long+enough+passphrase"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String ann = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      HttpResponse<String> forged =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/incidents/" + id + "/status"))
                  .header("Cookie", ann)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("status=acknowledged&csrf=forged"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(p.cases().get(id).status().label()).isEqualTo("new");
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(303);
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));

      // every console page and form: without a session, to the login page; as a viewer, no change
      List<String> pages =
          List.of(
              "/",
              "/alerts",
              "/search",
              "/dashboard",
              "/report",
              "/report/download?format=json",
              "/rules",
              "/rules/view?id=x",
              "/rules/coverage",
              "/rules/coverage.csv",
              "/settings",
              "/events/0",
              "/incidents/" + id,
              "/incidents/" + id + "/report?format=md",
              "/console/queue/rows",
              "/console/alerts/newer?after=0:");
      List<String> forms =
          List.of(
              "/incidents/" + id + "/status",
              "/incidents/" + id + "/owner",
              "/incidents/" + id + "/notes",
              "/alerts/bulk",
              "/rules/enabled",
              "/vulnerabilities/scan",
              "/settings/users",
              "/settings/users/role",
              "/settings/users/tenants",
              "/settings/users/disabled",
              "/settings/roles",
              "/settings/tokens",
              "/settings/tokens/revoke",
              "/logout");
      for (String path : pages) {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).as(path).hasValue("/login");
      }
      String viewerCsrf = csrfOf(http, base, cookie);
      for (String path : forms) {
        var anonymous =
            http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as(path).isEqualTo(303);
        if (path.startsWith("/settings/tokens") || path.equals("/logout")) {
          continue; // anyone signed in may manage their own tokens and sign out
        }
        var viewer =
            http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "csrf="
                                + viewerCsrf
                                + "&ids=a2&action=acknowledge&id=x&enabled=false&name=vera"
                                + "&role=admin&tenants=x&disabled=true&permissions=users:admin"
                                + "&status=acknowledged&owner=vera&markdown=x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viewer.statusCode()).as(path).isEqualTo(403);
      }
      assertThat(p.cases().get(id).status().label()).isEqualTo("new");
      assertThat(p.cases().queue().get("a2", java.util.Set.of()).state()).isEqualTo("new");
      assertThat(p.access().current("vera", "test").role()).isEqualTo("viewer");

      // another tenant's incident is "not found" in the console too
      p.access().setTenants("ann", java.util.Set.of("globex"), "test");
      var other =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/incidents/" + id))
                  .header("Cookie", ann)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(404);
      var otherAlerts =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/alerts")).header("Cookie", ann).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(otherAlerts.body()).contains("No alerts match").doesNotContain("ws-08");
      // and her report counts her tenant's alerts only, without findings (they have no tenant)
      var report =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  http.send(
                          HttpRequest.newBuilder(
                                  URI.create(base + "/report/download?format=json&last=24h"))
                              .header("Cookie", ann)
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
      assertThat(report.path("tenants").toString()).isEqualTo("[\"globex\"]");
      assertThat(report.path("current").path("alerts").path("total").asLong()).isZero();
      assertThat(report.path("vulns").isNull()).isTrue();
    }
  }

  /** {@code url} fetched with the browser's session, as a download would be. */
  static HttpResponse<String> fetchAs(WebDriver d, String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header(
                    "Cookie",
                    "rampart_session=" + d.manage().getCookieNamed("rampart_session").getValue())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The CSRF token a session's pages carry (the sign-out form has it). */
  static String csrfOf(HttpClient http, String base, String cookie) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/settings"))
                    .header("Cookie", cookie)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    var m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(body);
    return m.find() ? m.group(1) : "";
  }
}
