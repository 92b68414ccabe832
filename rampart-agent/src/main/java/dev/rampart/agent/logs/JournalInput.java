package dev.rampart.agent.logs;

import dev.rampart.agent.AgentEvents;
import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.DurableFiles;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.JournaldNormalizer;
import dev.rampart.core.normalize.LinuxLogs;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Follows the systemd journal through {@code journalctl -o json --follow}, one JSON object per
 * entry, into the write-ahead log, mapped as the server maps a journal export (native fields and
 * ECS names). The cursor of the last entry made durable is kept in a file (written after the log is
 * forced to disk), and a restart continues after it; the first start begins at the end of the
 * journal. When the log is full the reader stops and starts again from the cursor later: the
 * journal itself holds the entries meanwhile.
 */
public final class JournalInput implements Closeable {
  static final int MAX_LINE = 1 << 20;

  private static final String CURSOR = "__CURSOR";
  private static final JournaldNormalizer JOURNAL = new JournaldNormalizer();

  // One journal line at a time, keeping the reader's caches warm; a line over MAX_LINE is skipped
  // before it gets here.
  private final JsonEventReader reader =
      new JsonEventReader(
          new byte[0],
          "journalctl",
          ReadOptions.DEFAULTS.withMaxRecordBytes(MAX_LINE),
          ProblemSink.IGNORE);
  private final Event entry = new Event();

  private final String command;
  private final Path cursorFile;
  private final AgentWal wal;
  private final String host;
  private final Consumer<String> say;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Process process;
  public final AtomicLong entries = new AtomicLong();
  public final AtomicLong skipped = new AtomicLong();
  public final AtomicLong restarts = new AtomicLong();
  public volatile String lastError;

  public JournalInput(
      String command, Path cursorFile, AgentWal wal, String host, Consumer<String> say) {
    this.command = command;
    this.cursorFile = cursorFile;
    this.wal = wal;
    this.host = host;
    this.say = say;
    this.thread = Thread.ofPlatform().name("journald").daemon().start(this::loop);
  }

  private void loop() {
    while (running) {
      try {
        follow();
      } catch (IOException e) {
        lastError = e.getMessage();
        say.accept("journald: " + e.getMessage() + "; trying again in 10 s");
      } catch (InterruptedException e) {
        return;
      }
      if (!running) {
        return;
      }
      restarts.incrementAndGet();
      try {
        Thread.sleep(wal.overBound() ? 1000 : 10_000);
      } catch (InterruptedException | IOException e) {
        return;
      }
    }
  }

  private void follow() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command, "-o", "json", "--follow", "--no-pager"));
    String cursor = Files.exists(cursorFile) ? Files.readString(cursorFile).strip() : "";
    cmd.add(cursor.isEmpty() ? "--lines=0" : "--after-cursor=" + cursor);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    process = p;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String pending = null;
      int unsynced = 0;
      String line;
      while (running && (line = r.readLine()) != null) {
        if (line.length() > MAX_LINE) {
          skipped.incrementAndGet();
          continue;
        }
        if (!event(line, entry)) {
          skipped.incrementAndGet();
          continue;
        }
        try {
          wal.append(entry);
        } catch (AgentWal.FullException full) {
          break; // resume from the durable cursor once the server has taken some
        }
        entries.incrementAndGet();
        String at = entry.getText(CURSOR);
        pending = at == null ? pending : at;
        if (++unsynced >= 256 || !r.ready()) {
          durable(pending);
          unsynced = 0;
        }
      }
      durable(pending);
    } finally {
      p.destroy();
      process = null;
    }
    if (running && p.waitFor() != 0 && entries.get() == 0) {
      throw new IOException(command + " exited with status " + p.exitValue());
    }
  }

  private void durable(String cursor) throws IOException {
    if (cursor == null) {
      return;
    }
    wal.sync();
    DurableFiles.writeAtomically(cursorFile, cursor.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A journal entry as an event, read and mapped as the server reads {@code journalctl -o json}
   * exports (the {@code journald} normalizer: native fields kept, ECS added); false when the line
   * is not a JSON object. An object the normalizer does not take for an entry (no message, say) is
   * kept with its native fields. The reader's thread only.
   */
  boolean event(String line, Event into) throws IOException {
    reader.reset(line.getBytes(StandardCharsets.UTF_8)); // counts from 0 again
    if (!reader.next(into) || reader.errors() > 0) {
      return false;
    }
    if (!JOURNAL.normalize(into)) {
      into.source(into.source().withLogType(LinuxLogs.logType(-1, "")));
    }
    String h = into.getText("host.name");
    if (h == null) {
      h = host;
      into.addString("host.name", h);
    }
    into.source(new EventSource(AgentEvents.INPUT, h, into.source().logType()));
    return true;
  }

  @Override
  public void close() {
    running = false;
    Process p = process;
    if (p != null) {
      p.destroy();
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
