package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.ingest.spool.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rampart ingest} reads files as the hunt does (folders, zip archives, EVTX, JSON documents,
 * each text log's own format) into the spool, where the server's detection and store take them.
 */
class IngestCliTest {
  @TempDir Path dir;

  @Test
  void aSeizedDisksFoldersAndArchivesAreSpooledAsTheHuntReadsThem() throws IOException {
    Path varLog = Files.createDirectories(dir.resolve("seized/var/log"));
    Files.writeString(
        varLog.resolve("audit.log"),
        """
        type=SYSCALL msg=audit(1700000000.123:900): arch=c000003e syscall=59 success=yes exit=0 ppid=100 pid=200 auid=1000 uid=0 comm="arecord" exe="/usr/bin/arecord"
        type=SYSCALL msg=audit(1700000000.124:901): arch=c000003e syscall=2 success=no pid=300
        type=EXECVE msg=audit(1700000000.123:900): argc=4 a0="arecord" a1="-vv" a2="-fdat" a3="x"
        type=EOE msg=audit(1700000000.124:901):
        type=EOE msg=audit(1700000000.123:900):
        """);
    Path zeek = Corpora.require("zeek-wrccdc-brimdata/zeek-default/kerberos.log.gz");
    Files.copy(zeek, varLog.resolve("kerberos.log.gz"));
    Files.writeString(varLog.resolve("README"), "not a log\n");
    // a pretty-printed CloudTrail document: read whole, not line by line
    Files.copy(
        Path.of("..", "rampart-core", "src", "test", "resources", "cloudtrail", "records.json"),
        varLog.resolve("trail.json"));
    // a collection's zip holding an EVTX file
    Path evtx = dir.resolve("Security.evtx");
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(
                Corpora.require("evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz")))) {
      Files.copy(in, evtx);
    }
    Path zip = dir.resolve("seized/collection.zip");
    try (FileSystem fs =
        FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
      Files.createDirectories(fs.getPath("/Logs"));
      Files.copy(evtx, fs.getPath("/Logs/Security.evtx"));
    }
    long evtxEvents =
        LogFiles.read(evtx, null, LogFiles.Options.DEFAULTS, new Problems(1), (e, l, o) -> {})
            .events();

    Path data = dir.resolve("data");
    Run r = Run.of("ingest", dir.resolve("seized").toString(), "--data", data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    long zeekLines = 11;
    long total = 2 + zeekLines + 3 + evtxEvents;
    assertThat(r.err())
        .contains(String.format("from 4 files: %,d events spooled", total), "0 bad records");

    List<Event> spooled = new ArrayList<>();
    try (Spool spool =
        Spool.open(data.resolve("spool"), Spool.Options.defaults(), new Problems(1))) {
      spool.read(0, (e, off, next) -> spooled.add(e.copy()));
    }
    Map<String, Integer> byFile = new TreeMap<>();
    for (Event e : spooled) {
      String path = e.getText("log.file.path");
      byFile.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
    }
    assertThat(byFile)
        .containsEntry("audit.log", 2)
        .containsEntry("kerberos.log.gz", (int) zeekLines)
        .containsEntry("trail.json", 3)
        .containsEntry("Security.evtx", (int) evtxEvents)
        .hasSize(4);
    // the audit records joined by serial, as --parser auditd joins them
    assertThat(spooled)
        .anySatisfy(
            e -> {
              assertThat(e.getText("a0")).isEqualTo("arecord");
              assertThat(e.getText("exe")).isEqualTo("/usr/bin/arecord");
            });
    // Zeek lines read under their header; the EVTX file named inside its archive
    assertThat(spooled)
        .filteredOn(e -> e.source().logType().equals("zeek/kerberos"))
        .hasSize((int) zeekLines);
    assertThat(spooled)
        .filteredOn(e -> e.getText("log.file.path").contains("collection.zip!/Logs/Security.evtx"))
        .hasSize((int) evtxEvents)
        .allSatisfy(e -> assertThat(e.getText("event.code")).isNotNull());
    assertThat(spooled)
        .filteredOn(e -> "ConsoleLogin".equals(e.getText("event.action")))
        .hasSize(1);
  }

  @Test
  void aMissingFileIsSaidAndAnUnknownParserIsAUsageError() throws IOException {
    // a path that is not there is said and counted; the others are still read
    Path there = Files.writeString(dir.resolve("there.log"), "<13>Nov 28 08:15:36 host su: fine\n");
    Run missing =
        Run.of(
            "ingest",
            dir.resolve("nope.log").toString(),
            there.toString(),
            "--data",
            dir.resolve("d").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(missing.err())
        .contains("nope.log", "no such file or folder", "1 events spooled", "1 bad records");
    Path f = dir.resolve("x.log");
    Run parser = Run.of("ingest", f.toString(), "--parser", "nope", "--data", dir.toString());
    assertThat(parser.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(parser.err()).contains("no parser 'nope'");
  }
}
