package dev.rampart.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.core.testing.Corpora;
import dev.rampart.ingest.parse.TextLogReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are told apart by their content (EVTX, JSON, text, binary), text logs go through the
 * parsers with the line of each event, and a line no parser reads is an event of its text, counted.
 */
class LogFilesTest {
  @TempDir Path dir;

  record Seen(String json, long line, long offset) {}

  private List<Seen> read(Path f, LogFiles.Options o, Problems problems, LogFiles.Result[] result)
      throws IOException {
    List<Seen> out = new ArrayList<>();
    result[0] =
        LogFiles.read(
            f, null, o, problems, (e, line, offset) -> out.add(new Seen(json(e), line, offset)));
    return out;
  }

  @Test
  void aCallerThatParsesGetsTextAndJsonLinesUnparsedWithTheirFilesParser() throws IOException {
    record Message(String text, long line, String parser) {}
    List<Message> messages = new ArrayList<>();
    List<Seen> events = new ArrayList<>();
    Problems problems = new Problems(10);
    LogFiles.MessageSink toMessages =
        (text, line, parser, options) -> messages.add(new Message(text, line, parser));
    LogFiles.Sink toEvents = (e, line, offset) -> events.add(new Seen(json(e), line, offset));

    Path audit = dir.resolve("audit.log");
    Files.writeString(
        audit,
        """
        type=SYSCALL msg=audit(1700000000.123:900): arch=c000003e syscall=59 success=yes pid=200
        type=SYSCALL msg=audit(1700000000.124:901): arch=c000003e syscall=2 success=no pid=300
        type=EXECVE msg=audit(1700000000.123:900): argc=1 a0="arecord"
        type=EOE msg=audit(1700000000.124:901):
        type=EOE msg=audit(1700000000.123:900):
        """);
    LogFiles.Result r =
        LogFiles.read(audit, null, LogFiles.Options.DEFAULTS, problems, toEvents, toMessages);
    assertThat(r.events()).isEqualTo(2);
    assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m.parser()).isEqualTo("auditd"));
    // joined by serial: 901 ends first (its EOE comes first), 900 holds its EXECVE
    assertThat(messages.get(1).text()).contains(":900", "EXECVE").doesNotContain(":901");
    assertThat(messages.get(1).line()).isEqualTo(1);

    messages.clear();
    Path lines = dir.resolve("events.ndjson");
    Files.writeString(lines, "{\"EventID\": 4624}\n\n{\"EventID\": 4625}\n");
    LogFiles.read(lines, null, LogFiles.Options.DEFAULTS, problems, toEvents, toMessages);
    assertThat(messages)
        .extracting(Message::line, Message::parser)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "json"),
            org.assertj.core.groups.Tuple.tuple(3L, "json"));

    messages.clear();
    Path document = dir.resolve("export.json"); // a document is read whole, as events
    Files.writeString(document, "[\n {\"EventID\": 4624},\n {\"EventID\": 4625}\n]\n");
    r = LogFiles.read(document, null, LogFiles.Options.DEFAULTS, problems, toEvents, toMessages);
    assertThat(r.kind()).isEqualTo(LogFiles.Kind.JSON);
    assertThat(messages).isEmpty();
    assertThat(events).hasSize(2);
    assertThat(problems.errors()).isZero();
  }

  @Test
  void eachKindIsRecognisedByItsContentNotItsName() throws IOException {
    LogFiles.Result[] r = new LogFiles.Result[1];
    Problems problems = new Problems(100);

    Path json = dir.resolve("events.log"); // JSON whatever the name says
    Files.writeString(
        json,
        "\uFEFF[\n {\"EventID\": 4624,\n  \"Computer\": \"dc-01\"},\n {\"EventID\": 4625}\n]\n");
    List<Seen> seen = read(json, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(r[0].kind()).isEqualTo(LogFiles.Kind.JSON);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).json()).contains("4624", "dc-01");

    Path text = dir.resolve("auth.json"); // syslog whatever the name says
    gzip(
        text,
        "<38>Nov 28 08:15:36 bastion sshd[812]: Failed password for root from 203.0.113.9 port 52100 ssh2\n"
            + "\n"
            + "this line is no log format at all\n");
    seen = read(text, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(r[0].kind()).isEqualTo(LogFiles.Kind.TEXT);
    assertThat(r[0].parser()).isEqualTo("auto");
    assertThat(seen).extracting(Seen::line).containsExactly(1L, 3L);
    assertThat(seen.get(0).json()).contains("\"host.hostname\":\"bastion\"", "203.0.113.9");
    assertThat(seen.get(1).json())
        .contains("\"message\":\"this line is no log format at all\"", "rampart.parse_error");
    assertThat(r[0].unparsed()).isEqualTo(1);
    assertThat(r[0].firstUnparsedLine()).isEqualTo(3);
    assertThat(r[0].events()).isEqualTo(2);

    Path evtx = dir.resolve("exported-from-case-tool.bin"); // an EVTX file under another name
    Files.copy(
        Corpora.require("evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz"), evtx);
    seen = read(evtx, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(r[0].kind()).isEqualTo(LogFiles.Kind.EVTX);
    assertThat(seen).isNotEmpty().allMatch(s -> s.offset() >= 0);
    assertThat(seen.get(0).json()).contains("\"EventID\"");

    Path binary = dir.resolve("wtmp.log");
    Files.write(binary, new byte[] {7, 0, 0, 0, 'p', 't', 's', 0, 0});
    long warnings = problems.warnings();
    seen = read(binary, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(r[0].kind()).isEqualTo(LogFiles.Kind.BINARY);
    assertThat(seen).isEmpty();
    assertThat(problems.warnings()).isEqualTo(warnings + 1);
    assertThat(problems.errors()).isZero();
  }

  @Test
  void aNamedParserReadsEveryLineAndSaysWhichFailed() throws IOException {
    Path f = dir.resolve("mixed.log");
    Files.writeString(f, "<13>Nov 28 08:15:36 host su: fine\n<999>Nov 28 08:15:39 host x: bad\n");
    LogFiles.Result[] r = new LogFiles.Result[1];
    List<Seen> seen = read(f, LogFiles.Options.DEFAULTS.withParser("syslog"), new Problems(1), r);
    assertThat(seen).hasSize(2);
    assertThat(r[0].parser()).isEqualTo("syslog");
    assertThat(r[0].unparsed()).isEqualTo(1);
    assertThat(r[0].firstUnparsedLine()).isEqualTo(2);
    assertThat(r[0].why().message()).contains("priority 999 is above 191");
  }

  @Test
  void autoJoinsAnAuditLogsRecordsAndRecognisesEachLineOfAMixedOne() throws IOException {
    // interleaved records of two events: joined by serial as --parser auditd joins them
    String audit =
        """
        type=SYSCALL msg=audit(1700000000.123:900): arch=c000003e syscall=59 success=yes exit=0 ppid=100 pid=200 auid=1000 uid=0 comm="arecord" exe="/usr/bin/arecord"
        type=SYSCALL msg=audit(1700000000.124:901): arch=c000003e syscall=2 success=no pid=300
        type=EXECVE msg=audit(1700000000.123:900): argc=4 a0="arecord" a1="-vv" a2="-fdat" a3="x"
        type=EOE msg=audit(1700000000.124:901):
        type=EOE msg=audit(1700000000.123:900):
        """;
    try (TextLogReader r = reader(audit)) {
      assertThat(r.parser()).isEqualTo("auditd");
      Event e = new Event();
      List<String> events = new ArrayList<>();
      while (r.next(e)) {
        assertThat(r.error()).isNull();
        events.add(json(e));
      }
      assertThat(events).hasSize(2);
      assertThat(events).anyMatch(s -> s.contains("arecord") && s.contains("-fdat"));
      assertThat(r.lines()).isEqualTo(5);
    }
    // a relay's file: syslog, then CEF behind a syslog header, each line recognised on its own
    String mixed =
        "<13>Nov 28 08:15:36 host su: fine\n"
            + "<13>Nov 28 08:15:37 fw CEF:0|Vendor|Product|1.0|100|Blocked|5|src=198.51.100.4 dst=10.0.0.5\n";
    try (TextLogReader r = reader(mixed)) {
      assertThat(r.parser()).isEqualTo("auto");
      Event e = new Event();
      assertThat(r.next(e)).isTrue();
      assertThat(json(e)).doesNotContain("cef.");
      assertThat(r.next(e)).isTrue();
      assertThat(json(e)).contains("198.51.100.4", "cef.");
      assertThat(r.next(e)).isFalse();
    }
  }

  @Test
  void aSyslogLineWithoutAYearIsNoLaterThanItsFilesLastWrite() throws IOException {
    Path f = dir.resolve("auth.log.2");
    Files.writeString(f, "<38>Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster\n");
    Files.setLastModifiedTime(
        f, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2019-12-31T00:00:00Z")));
    LogFiles.Result[] r = new LogFiles.Result[1];
    assertThat(read(f, LogFiles.Options.DEFAULTS, new Problems(1), r).get(0).json())
        .contains("\"@timestamp\":\"2019-12-10T06:55:46");
    var berlin =
        LogFiles.Options.DEFAULTS.withParse(
            new dev.rampart.ingest.parse.ParseOptions(
                java.time.ZoneId.of("Europe/Berlin"), java.time.Instant.now()));
    assertThat(read(f, berlin, new Problems(1), r).get(0).json())
        .contains("\"@timestamp\":\"2019-12-10T05:55:46");
  }

  @Test
  void anEndlessLineIsCutAndSaidAndTheLinesAfterItAreRead() throws IOException {
    Path f = dir.resolve("dump.log");
    String line = "<13>Nov 28 08:15:36 host su: fine";
    Files.writeString(f, "x".repeat(3 * TextLogReader.MAX_LINE) + "\n" + line + "\r\n" + line);
    Problems problems = new Problems(10);
    LogFiles.Result[] r = new LogFiles.Result[1];
    List<Seen> seen = read(f, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0).json().length()).isLessThan(3 * TextLogReader.MAX_LINE);
    assertThat(seen.get(1).json()).isEqualTo(seen.get(2).json()); // \r\n ends a line as \n does
    assertThat(seen.get(1).json()).doesNotContain("parse_error");
    assertThat(problems.errors()).isEqualTo(1);
    assertThat(problems.kept().get(0).toString())
        .contains("dump.log:1", "1 lines longer than 1,048,576 characters were cut there");
  }

  @Test
  void autoReadsZeekTsvUnderItsHeader() throws IOException {
    Path dns = Corpora.require("zeek-wrccdc-brimdata/zeek-default/dns.log.gz");
    long data;
    try (var lines =
        new BufferedReader(
                new java.io.InputStreamReader(
                    dev.rampart.core.io.InputFiles.open(dns), StandardCharsets.UTF_8))
            .lines()) {
      data = lines.filter(l -> !l.startsWith("#")).count();
    }
    LogFiles.Result[] r = new LogFiles.Result[1];
    List<Seen> seen = read(dns, LogFiles.Options.DEFAULTS, new Problems(1), r);
    assertThat(r[0].parser()).isEqualTo("zeek");
    assertThat(r[0].unparsed()).isZero();
    assertThat(seen).hasSize((int) data);
    assertThat(seen.get(0).json()).contains("\"rampart.log_type\":\"zeek/dns\"");
  }

  @Test
  void aFolderGivesItsLogsAndAFileNamedIsReadWhateverItsName() throws IOException {
    for (String n :
        List.of(
            "auth.log.1",
            "syslog.2.gz",
            "messages-20261201",
            "secure-20261201.zst",
            "Security.evtx",
            "netlogon.txt.gz",
            "events.ndjson",
            "export.gz",
            "wtmp",
            "btmp.1")) {
      assertThat(LogFiles.looksLikeLog(Path.of(n))).as(n).isTrue();
    }
    for (String n :
        List.of(
            "README.md", "LICENSE.GPL", "structured.csv.gz", "rules.tar.gz", "lastlog", "x.yml")) {
      assertThat(LogFiles.looksLikeLog(Path.of(n))).as(n).isFalse();
    }
    Path logs = Files.createDirectories(dir.resolve("var/log"));
    Files.writeString(logs.resolve("auth.log.1"), "x\n");
    Files.writeString(logs.resolve("README.md"), "x\n");
    Path named = Files.writeString(dir.resolve("notes.md"), "x\n");
    try (LogFiles.Inputs in = LogFiles.open(List.of(logs, named))) {
      assertThat(in.files()).containsExactly(logs.resolve("auth.log.1"), named);
    }
  }

  @Test
  void aZipArchiveIsReadInPlaceNamedOrFoundInAFolder() throws IOException {
    // a collection as Velociraptor's offline collector writes one: logs among other files
    Path zip = dir.resolve("cases").resolve("Collection-WS-07.bin"); // a zip by its bytes
    Files.createDirectories(zip.getParent());
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new java.util.zip.ZipEntry("uploads/Logs/Security.evtx"));
      try (var in =
          dev.rampart.core.io.InputFiles.open(
              Corpora.require("evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz"))) {
        in.transferTo(z);
      }
      z.putNextEntry(new java.util.zip.ZipEntry("uploads/var/log/auth.log"));
      z.write(
          "<38>1 2026-03-02T10:00:00Z bastion sshd 812 - - Failed password for root from 203.0.113.9\n"
              .getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new java.util.zip.ZipEntry("collection_context.md"));
      z.write("not a log\n".getBytes(StandardCharsets.UTF_8));
    }
    try (LogFiles.Inputs in = LogFiles.open(List.of(zip))) {
      assertThat(in.files()).hasSize(2);
      assertThat(in.files().stream().map(LogFiles::name))
          .containsExactly(
              zip + "!/uploads/Logs/Security.evtx", zip + "!/uploads/var/log/auth.log");
      LogFiles.Result[] r = new LogFiles.Result[1];
      List<Seen> evtx = read(in.files().get(0), LogFiles.Options.DEFAULTS, new Problems(1), r);
      assertThat(r[0].kind()).isEqualTo(LogFiles.Kind.EVTX);
      assertThat(evtx).isNotEmpty();
      assertThat(LogFiles.units(in.files().get(0)))
          .containsExactly((dev.rampart.evtx.Evtx.Range) null);
      List<Seen> text = read(in.files().get(1), LogFiles.Options.DEFAULTS, new Problems(1), r);
      assertThat(text.get(0).json()).contains("203.0.113.9");
    }
    Path renamed = dir.resolve("cases").resolve("Collection-WS-07.zip");
    Files.move(zip, renamed);
    try (LogFiles.Inputs in = LogFiles.open(List.of(dir.resolve("cases")))) {
      assertThat(in.files()).hasSize(2); // found in a folder by its name
    }
  }

  @Test
  void aTarArchiveIsUnpackedWithItsTimesNamedAsInsideAndCleanedUp() throws IOException {
    // a Linux collection as UAC writes one: a tar.gz of the host's files
    Path tar = dir.resolve("uac-bastion-linux-20200105.tar.gz");
    java.time.Instant written = java.time.Instant.parse("2019-12-31T00:00:00Z");
    try (var out =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            new GZIPOutputStream(Files.newOutputStream(tar)))) {
      tarEntry(
          out,
          "uac/[root]/var/log/auth.log",
          "Dec 10 06:55:46 bastion sshd[812]: Failed password for root from 203.0.113.9 port 52100"
              + " ssh2\n",
          written);
      tarEntry(out, "uac/live_response/system/uptime", "up 3 days\n", written); // not log-like
      tarEntry(out, "../../escape.log", "outside\n", written);
    }
    Path root;
    try (LogFiles.Inputs in = LogFiles.open(List.of(tar))) {
      assertThat(in.files()).hasSize(1);
      Path auth = in.files().get(0);
      assertThat(LogFiles.name(auth)).isEqualTo(tar + "!/uac/[root]/var/log/auth.log");
      assertThat(in.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("1 entries named outside"));
      LogFiles.Result[] r = new LogFiles.Result[1];
      List<Seen> seen = read(auth, LogFiles.Options.DEFAULTS, new Problems(1), r);
      // the entry's time says which year a line without one is from
      assertThat(seen)
          .singleElement()
          .satisfies(x -> assertThat(x.json()).contains("2019-12-10T06:55:46"));
      root = auth.getParent();
    }
    assertThat(root).doesNotExist();
    assertThat(dir.getParent().resolve("escape.log")).doesNotExist();
  }

  @Test
  void archivesInsideArchivesAreOpenedNamedAsInsideAndCleanedUp() throws IOException {
    // a case handed over as one zip: a host's collection zip and a Linux tar.gz inside, the tar
    // holding another zip
    String line =
        "<38>1 2026-03-02T10:00:00Z %s sshd 812 - - Failed password for root from 203.0.113.9\n";
    java.io.ByteArrayOutputStream innerZip = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.ZipOutputStream(innerZip)) {
      zipEntry(z, "uploads/var/log/auth.log", line.formatted("ws-07"));
    }
    java.io.ByteArrayOutputStream zipInTar = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.ZipOutputStream(zipInTar)) {
      zipEntry(z, "Logs/app.log", line.formatted("deep"));
    }
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    try (var out =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            new GZIPOutputStream(tar))) {
      tarEntry(out, "uac/var/log/secure", line.formatted("web-01"), java.time.Instant.now());
      var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("uac/home/x.zip", true);
      e.setSize(zipInTar.size());
      out.putArchiveEntry(e);
      out.write(zipInTar.toByteArray());
      out.closeArchiveEntry();
    }
    Path outer = dir.resolve("case-4711.zip");
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(outer))) {
      z.putNextEntry(new java.util.zip.ZipEntry("hosts/Collection-WS-07.zip"));
      z.write(innerZip.toByteArray());
      z.putNextEntry(new java.util.zip.ZipEntry("hosts/uac-web-01.tar.gz"));
      z.write(tar.toByteArray());
      zipEntry(z, "notes/triage.log", line.formatted("analyst"));
    }
    List<Path> temporary = new ArrayList<>();
    try (LogFiles.Inputs in = LogFiles.open(List.of(outer))) {
      assertThat(in.problems()).isEmpty();
      assertThat(in.files().stream().map(LogFiles::name))
          .containsExactlyInAnyOrder(
              outer + "!/notes/triage.log",
              outer + "!/hosts/Collection-WS-07.zip!/uploads/var/log/auth.log",
              outer + "!/hosts/uac-web-01.tar.gz!/uac/var/log/secure",
              outer + "!/hosts/uac-web-01.tar.gz!/uac/home/x.zip!/Logs/app.log");
      List<String> hosts = new ArrayList<>();
      for (Path f : in.files()) {
        for (Seen x : read(f, LogFiles.Options.DEFAULTS, new Problems(1), new LogFiles.Result[1])) {
          hosts.add(x.json().replaceAll(".*\"host.name\":\"([^\"]*)\".*", "$1").strip());
        }
        if (f.getFileSystem() == java.nio.file.FileSystems.getDefault()) {
          temporary.add(f);
        }
      }
      assertThat(hosts).containsExactlyInAnyOrder("analyst", "ws-07", "web-01", "deep");
    }
    assertThat(temporary).isNotEmpty().allSatisfy(f -> assertThat(f).doesNotExist());
  }

  @Test
  void anArchiveNestedTooDeepIsLeftClosedAndSaid() throws IOException {
    byte[] inside = "<38>1 2026-03-02T10:00:00Z h sshd - - - x\n".getBytes(StandardCharsets.UTF_8);
    String entry = "auth.log";
    for (int level = 0; level <= LogFiles.MAX_NESTING; level++) {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      try (var z = new java.util.zip.ZipOutputStream(b)) {
        z.putNextEntry(new java.util.zip.ZipEntry(entry));
        z.write(inside);
      }
      inside = b.toByteArray();
      entry = "level" + level + ".zip";
    }
    Path outer = dir.resolve("bomb.zip");
    Files.write(outer, inside);
    try (LogFiles.Inputs in = LogFiles.open(List.of(outer))) {
      assertThat(in.files()).isEmpty();
      assertThat(in.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.source()).endsWith("level0.zip");
                assertThat(p.message()).contains("left closed", "unpack the outer ones");
              });
    }
  }

  private static void zipEntry(java.util.zip.ZipOutputStream z, String name, String text)
      throws IOException {
    z.putNextEntry(new java.util.zip.ZipEntry(name));
    z.write(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTarArchiveCutShortGivesWhatCameBeforeTheCut() throws IOException {
    // OTRF's archive lacks its end (GNU tar stops with "unexpected end of file"), yet holds the
    // whole JSON file: read, all of it
    Path otrf =
        Corpora.require(
            "otrf-security-datasets/datasets/atomic/windows/persistence/host/covenant_persistwmi.tar.gz");
    try (LogFiles.Inputs in = LogFiles.open(List.of(otrf))) {
      assertThat(in.files()).hasSize(1);
      assertThat(LogFiles.name(in.files().get(0)))
          .isEqualTo(otrf + "!/covenant_persistwmi_2019-12-05044734.json");
      Problems problems = new Problems(10);
      LogFiles.Result[] r = new LogFiles.Result[1];
      List<Seen> seen = read(in.files().get(0), LogFiles.Options.DEFAULTS, problems, r);
      assertThat(seen).hasSizeGreaterThan(100);
      assertThat(problems.errors()).isZero();
    }
    // one cut inside its second log: the first is read, the second as far as it goes, and said
    Path whole = dir.resolve("whole.tar");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      lines.append("<38>1 2026-03-02T10:00:00Z host sshd ").append(i).append(" - - line\n");
    }
    java.time.Instant t = java.time.Instant.parse("2026-03-02T11:00:00Z");
    try (var out =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            Files.newOutputStream(whole))) {
      tarEntry(out, "var/log/syslog", lines.toString(), t);
      tarEntry(out, "var/log/syslog.1", lines.toString(), t);
    }
    byte[] b = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.tar");
    Files.write(cut, java.util.Arrays.copyOf(b, b.length * 3 / 4));
    try (LogFiles.Inputs in = LogFiles.open(List.of(cut))) {
      assertThat(in.files()).hasSize(2);
      assertThat(in.problems())
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.message())
                      .contains(
                          "not a tar archive that can be read to its end",
                          "in var/log/syslog.1",
                          "the 2 logs before the damage are read"));
      assertThat(Files.readString(in.files().get(0))).isEqualTo(lines.toString());
      assertThat(Files.size(in.files().get(1))).isPositive().isLessThan(lines.length());
    }
  }

  @Test
  void utf16FilesAsWindowsPowerShellWritesThemAreText() throws IOException {
    // Get-WinEvent ... | ConvertTo-Json > events.json in Windows PowerShell 5: UTF-16LE, BOM
    Path json = dir.resolve("events.json");
    Files.write(
        json,
        ("\uFEFF[\r\n    {\r\n        \"Id\":  4625,\r\n        \"MachineName\":  \"ws-07\"\r\n"
                + "    }\r\n]\r\n")
            .getBytes(StandardCharsets.UTF_16LE));
    assertThat(LogFiles.kind(json)).isEqualTo(LogFiles.Kind.JSON);
    LogFiles.Result[] r = new LogFiles.Result[1];
    Problems problems = new Problems(10);
    List<Seen> seen = read(json, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(seen).singleElement().satisfies(x -> assertThat(x.json()).contains("ws-07", "4625"));
    // and a text log saved the same way, big-endian for good measure
    Path text = dir.resolve("syslog.txt");
    Files.write(
        text,
        "<38>Nov 28 08:15:36 bastion sshd[812]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
            .getBytes(StandardCharsets.UTF_16));
    assertThat(LogFiles.kind(text)).isEqualTo(LogFiles.Kind.TEXT);
    seen = read(text, LogFiles.Options.DEFAULTS, problems, r);
    assertThat(seen)
        .singleElement()
        .satisfies(x -> assertThat(x.json()).contains("\"process.name\":\"sshd\""));
    assertThat(problems.errors()).isZero();
  }

  @Test
  void loginRecordsAreReadAsLastAndLastbShowThem() throws IOException {
    Path log = Files.createDirectories(dir.resolve("var/log"));
    java.io.ByteArrayOutputStream w = new java.io.ByteArrayOutputStream();
    w.writeBytes(utmp(2, 0, "~", "~~", "reboot", "6.1.0-13-amd64", null, 1764316800));
    w.writeBytes(
        utmp(
            7,
            812,
            "pts/0",
            "ts/0",
            "alice",
            "203.0.113.9",
            new byte[] {(byte) 203, 0, 113, 9},
            1764317000));
    w.writeBytes(utmp(8, 812, "pts/0", "ts/0", "", "", null, 1764318000));
    Files.write(log.resolve("wtmp"), w.toByteArray());
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(utmp(6, 901, "ssh:notty", "", "root", "scanner.example", null, 1764317100));
    b.write(new byte[100]); // a record cut short
    Files.write(log.resolve("btmp"), b.toByteArray());

    Problems problems = new Problems(10);
    LogFiles.Result[] r = new LogFiles.Result[1];
    List<Seen> wtmp = read(log.resolve("wtmp"), LogFiles.Options.DEFAULTS, problems, r);
    assertThat(r[0].kind()).isEqualTo(LogFiles.Kind.UTMP);
    assertThat(wtmp).hasSize(3);
    assertThat(wtmp.get(0).json()).contains("\"event.action\":\"system-boot\"", "6.1.0-13-amd64");
    assertThat(wtmp.get(1).json())
        .contains(
            "\"rampart.log_type\":\"linux/wtmp\"",
            "\"user.name\":\"alice\"",
            "\"source.ip\":\"203.0.113.9\"",
            "\"event.action\":\"user-login\"",
            "\"event.outcome\":\"success\"",
            "\"@timestamp\":\"2025-11-28T08:03:20.000123Z\"");
    assertThat(wtmp.get(1).offset()).isEqualTo(384);
    assertThat(wtmp.get(1).line()).isEqualTo(2); // its record number
    assertThat(wtmp.get(2).json()).contains("\"event.action\":\"user-logout\"");
    List<Seen> btmp = read(log.resolve("btmp"), LogFiles.Options.DEFAULTS, problems, r);
    assertThat(btmp)
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.json())
                    .contains(
                        "\"rampart.log_type\":\"linux/btmp\"",
                        "\"user.name\":\"root\"",
                        "\"source.domain\":\"scanner.example\"",
                        "\"event.outcome\":\"failure\""));
    assertThat(problems.kept())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).contains("btmp", "384", "cut short"));
    try (LogFiles.Inputs in = LogFiles.open(List.of(log))) {
      assertThat(in.files()).containsExactly(log.resolve("btmp"), log.resolve("wtmp"));
    }
  }

  /** A glibc struct utmp record (384 bytes, little-endian). */
  static byte[] utmp(
      int type,
      int pid,
      String line,
      String id,
      String user,
      String host,
      byte[] addr,
      int seconds) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(384).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) type);
    b.putInt(4, pid);
    b.put(8, line.getBytes(StandardCharsets.UTF_8));
    b.put(40, id.getBytes(StandardCharsets.UTF_8));
    b.put(44, user.getBytes(StandardCharsets.UTF_8));
    b.put(76, host.getBytes(StandardCharsets.UTF_8));
    b.putInt(340, seconds);
    b.putInt(344, 123);
    if (addr != null) {
      b.put(348, addr);
    }
    return b.array();
  }

  private static void tarEntry(
      org.apache.commons.compress.archivers.tar.TarArchiveOutputStream out,
      String name,
      String text,
      java.time.Instant modified)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
    e.setSize(b.length);
    e.setModTime(java.nio.file.attribute.FileTime.from(modified));
    out.putArchiveEntry(e);
    out.write(b);
    out.closeArchiveEntry();
  }

  private static String json(Event e) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (JsonEventWriter w = new JsonEventWriter(b)) {
      w.write(e);
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static TextLogReader reader(String text) throws IOException {
    return new TextLogReader(
        new BufferedReader(new StringReader(text)), "auto", LogFiles.Options.DEFAULTS.parse());
  }

  private static void gzip(Path f, String text) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
