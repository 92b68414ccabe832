package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.testing.Corpora;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart parse} and {@code rampart parsers list}, and parsed logs hunted with our pack. */
class ParseCliTest {
  @TempDir Path dir;

  @Test
  void parsersListNamesEveryParser() {
    Run r = Run.of("parsers", "list");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("syslog", "cef", "leef", "kv", "json", "auto");
  }

  @Test
  void parsedSshLogsAreHuntedWithTheOwnPack() throws IOException {
    Path log = Corpora.require("loghub/OpenSSH/OpenSSH_2k.log.gz");
    Run parsed = Run.of("parse", log.toString(), "--parser", "syslog");
    assertThat(parsed.code()).as(parsed.err()).isZero();
    assertThat(parsed.err()).contains("2,000 lines, 2,000 parsed, 0 failed");
    Path ndjson = dir.resolve("ssh.ndjson");
    Files.writeString(ndjson, parsed.out(), StandardCharsets.UTF_8);
    Run hunt = Run.of("hunt", ndjson.toString(), "--rules", Path.of("..", "rules").toString());
    assertThat(hunt.out()).contains("SSH Password Attempt For An Account That Does Not Exist");
  }

  @Test
  void textLogsAreHuntedAsTheyComeWithWhatTheirParsedEventsFind() throws IOException {
    // A seized disk's /var/log: hunted in place, the same findings as parsing first
    Path log = Corpora.require("loghub/OpenSSH/OpenSSH_2k.log.gz");
    Path logs = Files.createDirectories(dir.resolve("var/log"));
    Files.copy(log, logs.resolve("auth.log.2.gz"));
    Files.writeString(logs.resolve("README.md"), "# not a log\n");
    Files.write(logs.resolve("wtmp.log"), new byte[] {7, 0, 0, 0, 'p', 't', 's', 0});
    Files.writeString(
        logs.resolve("netlogon.txt"),
        "09/14 12:33:00 [MISC] [3448] DbFlag is set to 2080ffff\n"
            + "09/14 12:33:02 [INIT] [1720] Group Policy is not defined for Netlogon\n");
    String rules = Path.of("..", "rules").toString();
    Run direct = Run.of("hunt", logs.toString(), "--rules", rules);
    assertThat(direct.code()).as(direct.err()).isZero();
    assertThat(direct.out()).contains("SSH Password Attempt For An Account That Does Not Exist");
    assertThat(direct.err())
        .contains("2,002 events in 3 files", "0 bad records")
        .contains("wtmp.log: not a log (binary), skipped")
        .contains(
            "netlogon.txt: 2 of 2 lines in no format a parser recognises (line 1: no parser"
                + " recognises this format), hunted as plain text")
        .doesNotContain("README");

    Path ndjson = dir.resolve("ssh.ndjson");
    Files.writeString(ndjson, Run.of("parse", log.toString()).out(), StandardCharsets.UTF_8);
    Run parsedFirst = Run.of("hunt", ndjson.toString(), "--rules", rules);
    assertThat(direct.out()).isEqualTo(parsedFirst.out());
  }

  @Test
  void auditRecordsJoinedBySerialMeetSigmaHqAuditdRules() throws IOException {
    // The EXECVE record of an event interleaved with another event's records: joined by serial,
    // the event carries type [SYSCALL, EXECVE] and a0..a2, which SigmaHQ's audio-capture rule
    // needs.
    Path rules = Corpora.require("sigmahq-sigma/rules/linux/auditd");
    Path f = dir.resolve("audit.log");
    Files.writeString(
        f,
        """
        type=SYSCALL msg=audit(1700000000.123:900): arch=c000003e syscall=59 success=yes exit=0         ppid=100 pid=200 auid=1000 uid=0 comm="arecord" exe="/usr/bin/arecord"
        type=SYSCALL msg=audit(1700000000.124:901): arch=c000003e syscall=2 success=no pid=300
        type=EXECVE msg=audit(1700000000.123:900): argc=4 a0="arecord" a1="-vv" a2="-fdat" a3="x"
        type=EOE msg=audit(1700000000.124:901):
        type=EOE msg=audit(1700000000.123:900):
        """);
    Run parsed = Run.of("parse", f.toString(), "--parser", "auditd");
    assertThat(parsed.code()).as(parsed.err()).isZero();
    assertThat(parsed.err()).contains("2 events from 5 lines, 2 parsed, 0 failed");
    Path ndjson = dir.resolve("audit.ndjson");
    Files.writeString(ndjson, parsed.out(), StandardCharsets.UTF_8);
    Run hunt = Run.of("hunt", ndjson.toString(), "--rules", rules.toString());
    assertThat(hunt.out()).contains("Audio Capture");
    // the audit log itself: auto sees auditd records and joins them as --parser auditd does
    Run direct = Run.of("hunt", f.toString(), "--rules", rules.toString());
    assertThat(direct.out()).isEqualTo(hunt.out());
    assertThat(direct.err()).contains("2 events in 1 files");
    assertThat(Run.of("parse", f.toString()).err()).contains("2 events from 5 lines, 2 parsed");
  }

  @Test
  void cloudTrailFilesMeetSigmaHqAwsRules() {
    // A whole CloudTrail file ({"Records": [...]}, our own sample) hunted as it comes from S3.
    Path rules = Corpora.require("sigmahq-sigma/rules/cloud/aws");
    Path trail =
        Path.of("..", "rampart-core", "src", "test", "resources", "cloudtrail", "records.json");
    Run hunt = Run.of("hunt", trail.toString(), "--rules", rules.toString());
    assertThat(hunt.out()).contains("AWS ConsoleLogin Failed Authentication", "AWS Bucket Deleted");
    assertThat(hunt.err()).contains("3 events in 1 files");
  }

  @Test
  void aLineOfSeveralRecordsParsesIntoEachOfThem() throws IOException {
    // a CloudTrail document on one line, as a forwarder that reads S3 passes it on
    Path f = dir.resolve("trail.log");
    Files.writeString(
        f,
        "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\","
            + "\"eventName\":\"DeleteBucket\",\"eventTime\":\"2026-11-28T08:15:30Z\"},"
            + "{\"eventVersion\":\"1.08\",\"eventSource\":\"iam.amazonaws.com\","
            + "\"eventName\":\"CreateUser\",\"eventTime\":\"2026-11-28T08:15:31Z\"}]}\n");
    Run r = Run.of("parse", f.toString(), "--parser", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .hasSize(2)
        .allMatch(l -> l.contains("\"rampart.log_type\":\"aws/cloudtrail\""));
    assertThat(r.out())
        .contains("\"event.action\":\"DeleteBucket\"", "\"event.action\":\"CreateUser\"");
  }

  /** A CloudTrail line whose second of four elements is a number and third is nested too deep. */
  static String recordsWithTwoBadOnes() {
    String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);
    return "{\"Records\": [{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\","
        + "\"eventName\":\"DeleteBucket\",\"eventTime\":\"2026-11-28T08:15:30Z\"}, 5, "
        + deep
        + " ,{\"eventVersion\":\"1.08\",\"eventSource\":\"iam.amazonaws.com\","
        + "\"eventName\":\"CreateUser\",\"eventTime\":\"2026-11-28T08:15:31Z\"} ] }";
  }

  @Test
  void recordsOfALineThatCannotBeReadAreReportedNotLost() throws IOException {
    Path f = dir.resolve("trail.log");
    Files.writeString(f, recordsWithTwoBadOnes() + "\n");
    Run r = Run.of("parse", f.toString(), "--parser", "json");
    assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(r.err())
        .contains("trail.log:1:", "array element is not a JSON object", "nesting deeper than")
        .contains("2 records inside messages that parsed could not be read");
    List<String> out = r.out().lines().toList();
    assertThat(out).hasSize(4);
    assertThat(out.get(0)).contains("\"event.action\":\"DeleteBucket\"");
    assertThat(out.get(1)).contains("\"event.action\":\"CreateUser\"");
    // each left-out record is printed as its own text, not the whole line
    assertThat(out.get(2)).contains("\"message\":\"5\"", "rampart.parse_error");
    assertThat(out.get(3)).contains("\"message\":\"{\\\"a\\\":{", "}}\"", "rampart.parse_error");
    assertThat(out.get(3)).doesNotContain("CreateUser", "]");

    Path data = dir.resolve("data");
    Run in = Run.of("ingest", f.toString(), "--parser", "json", "--data", data.toString());
    assertThat(in.code()).as(in.err()).isEqualTo(ExitCodes.FINDINGS);
    List<String> dead = Files.readAllLines(data.resolve("dead-letter.ndjson"));
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0)).contains("\"message\":\"5\"", "column 134");
    assertThat(dead.get(1)).contains("nesting deeper than").doesNotContain("CreateUser");
  }

  @Test
  void failuresAreReportedWithLineAndColumn() throws IOException {
    Path f = dir.resolve("mixed.log");
    Files.writeString(f, "<13>Nov 28 08:15:36 host su: fine\n<999>Nov 28 08:15:39 host x: bad\n");
    Run r = Run.of("parse", f.toString(), "--parser", "syslog", "--errors-only");
    assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(r.err()).contains("mixed.log:2:2: syslog: column 2: priority 999 is above 191");
    assertThat(r.out().lines().count()).isEqualTo(1);
    assertThat(Run.of("parse", f.toString(), "--parser", "nope").code()).isEqualTo(ExitCodes.USAGE);
    Run zone = Run.of("hunt", f.toString(), "--zone", "Mars/Olympus");
    assertThat(zone.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(zone.err()).contains("--zone Mars/Olympus: not a time zone");
    // a seized disk's local times: --zone says where, the file's last write says which year
    Files.setLastModifiedTime(
        f, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2019-12-31T00:00:00Z")));
    assertThat(Run.of("parse", f.toString(), "--zone", "+02:00").out())
        .contains("\"@timestamp\":\"2019-11-28T06:15:36");
  }

  @Test
  void aFolderOrArchiveIsParsedForItsTextLogsAndPassesOverEvtx() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("seized/var/log"));
    Files.writeString(logs.resolve("auth.log"), "<13>Nov 28 08:15:36 host su: fine\n");
    Path evtx = logs.resolve("Security.evtx");
    try (var in =
        dev.rampart.core.io.InputFiles.open(
            Corpora.require("evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz"))) {
      Files.copy(in, evtx);
    }
    Run r = Run.of("parse", dir.resolve("seized").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("\"host.name\":\"host\""));
    assertThat(r.err())
        .contains(evtx + ": a Windows event log, not a text log: passed over")
        .contains("1 lines, 1 parsed, 0 failed")
        .contains("1 files passed over, not text logs: 1 event or login record files");
    Run missing = Run.of("parse", dir.resolve("nope.log").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(missing.err()).contains("no such file or folder").doesNotContain("Exception");
  }

  @Test
  void ingestSpoolsEveryLineAndDeadLettersTheRest() throws IOException {
    Path log = Corpora.require("loghub/OpenSSH/OpenSSH_2k.log.gz");
    Path bad = dir.resolve("bad.log");
    Files.writeString(bad, "<999>not syslog at all\n<13>Nov 28 08:15:36 host su: fine\n");
    Path data = dir.resolve("data");
    Run r =
        Run.of(
            "ingest",
            log.toString(),
            bad.toString(),
            "--parser",
            "syslog",
            "--data",
            data.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(r.err()).contains("2,002 records from 2 files: 2,001 events spooled", "1 to ");
    assertThat(Files.readString(data.resolve("dead-letter.ndjson")))
        .contains("priority 999 is above 191");
    long[] n = {0};
    try (var spool =
        dev.rampart.ingest.spool.Spool.open(
            data.resolve("spool"),
            dev.rampart.ingest.spool.Spool.Options.defaults(),
            new dev.rampart.core.io.Problems(1))) {
      spool.read(0, (e, off, next) -> n[0]++);
    }
    assertThat(n[0]).isEqualTo(2001);
  }

  @Test
  void parsedAccessLogsMeetSigmaHqWebserverRules() throws IOException {
    Path samples =
        Path.of(
            "..",
            "rampart-ingest",
            "src",
            "test",
            "resources",
            "golden",
            "parse",
            "access-samples.log");
    Run parsed = Run.of("parse", samples.toString(), "--parser", "access");
    Path ndjson = dir.resolve("access.ndjson");
    Files.writeString(ndjson, parsed.out(), StandardCharsets.UTF_8);
    Path sigma = Corpora.require("sigmahq-sigma");
    Run hunt =
        Run.of(
            "hunt",
            ndjson.toString(),
            "--rules",
            sigma.resolve("rules/web").toString(),
            "--rules",
            sigma.resolve("rules-emerging-threats/2021/Exploits/CVE-2021-44228").toString());
    assertThat(hunt.out())
        .contains("Suspicious User-Agents Related To Recon Tools", "Log4j RCE CVE-2021-44228");
  }

  @Test
  void aJournalExportMeetsSigmaHqLinuxAuthRules() throws IOException {
    // journalctl -D seized/var/log/journal -o json: sshd's entry routed as its syslog line is
    Path journal = dir.resolve("journal.json");
    Files.writeString(
        journal,
        "{\"__REALTIME_TIMESTAMP\":\"1764317736123456\",\"SYSLOG_FACILITY\":\"4\","
            + "\"SYSLOG_IDENTIFIER\":\"sshd\",\"_PID\":\"812\",\"_HOSTNAME\":\"bastion\","
            + "\"MESSAGE\":\"fatal: buffer_get_string: bad string length 45\"}\n");
    Run hunt =
        Run.of(
            "hunt",
            journal.toString(),
            "--rules",
            Corpora.require("sigmahq-sigma/rules/linux/builtin/sshd").toString());
    assertThat(hunt.out()).contains("Suspicious OpenSSH Daemon Error");
  }

  @Test
  void aSeizedBtmpShowsAPasswordSprayToTheAnomalyHunt() throws IOException {
    // lastb's file: 40 failed logins from one address against six accounts, 5 s apart
    java.nio.ByteBuffer btmp =
        java.nio.ByteBuffer.allocate(40 * 384).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    String[] users = {"root", "admin", "oracle", "test", "ubuntu", "pi"};
    for (int i = 0; i < 40; i++) {
      int at = i * 384;
      btmp.putShort(at, (short) 6); // LOGIN_PROCESS
      btmp.put(at + 8, "ssh:notty".getBytes(StandardCharsets.US_ASCII));
      btmp.put(at + 44, users[i % 6].getBytes(StandardCharsets.US_ASCII));
      btmp.put(at + 76, "198.51.100.23".getBytes(StandardCharsets.US_ASCII));
      btmp.putInt(at + 340, 1764317000 + 5 * i);
    }
    Path log = Files.createDirectories(dir.resolve("seized/var/log"));
    Files.write(log.resolve("btmp"), btmp.array());
    Run hunt =
        Run.of(
            "hunt",
            log.toString(),
            "--anomalies",
            "--learn",
            "0s",
            "--rules",
            Path.of("..", "rules").toString());
    assertThat(hunt.code()).as(hunt.err()).isZero();
    assertThat(hunt.out()).contains("Password spray from 198.51.100.23 (6 accounts)");
    assertThat(hunt.err()).contains("40 events in 1 files");
  }

  @Test
  void iisLogsAreRecognisedAndMeetSigmaHqWebserverRules() throws IOException {
    // An IIS log as a seized Exchange server holds it: recognised by its #Fields directive
    Path iis = Files.createDirectories(dir.resolve("inetpub/logs/LogFiles/W3SVC1"));
    Files.copy(
        Path.of(
            "..", "rampart-ingest", "src", "test", "resources", "golden", "parse", "w3c-iis.log"),
        iis.resolve("u_ex261128.log"));
    Path sigma = Corpora.require("sigmahq-sigma");
    Run hunt =
        Run.of(
            "hunt",
            dir.resolve("inetpub").toString(),
            "--rules",
            sigma.resolve("rules/web").toString(),
            "--rules",
            sigma.resolve("rules-emerging-threats/2021/Exploits/ProxyShell-Exploit").toString());
    assertThat(hunt.code()).as(hunt.err()).isZero();
    assertThat(hunt.out()).contains("Windows Webshell Strings", "Exchange ProxyShell Pattern");
    // the two bad lines are hunted as their text and said once
    assertThat(hunt.err())
        .contains("7 events in 1 files", "2 of 7 lines failed the w3c parser (line 9");
    Run parsed = Run.of("parse", iis.resolve("u_ex261128.log").toString());
    assertThat(parsed.err()).contains("(parser w3c)");
    // the Windows Firewall's log, under Sigma's firewall category with its own field names
    Path firewall = Files.createDirectories(dir.resolve("Windows/System32/LogFiles/Firewall"));
    Files.writeString(
        firewall.resolve("pfirewall.log"),
        """
        #Version: 1.5
        #Software: Microsoft Windows Firewall
        #Time Format: Local
        #Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path
        2026-11-28 09:15:01 ALLOW TCP 10.0.5.23 69.42.98.86 52100 443 0 - - - - - - - SEND
        """);
    Run fw =
        Run.of(
            "hunt",
            firewall.toString(),
            "--rules",
            sigma.resolve("rules-emerging-threats/2017/TA/Equation-Group").toString());
    assertThat(fw.out()).contains("Equation Group C2 Communication");
  }
}
