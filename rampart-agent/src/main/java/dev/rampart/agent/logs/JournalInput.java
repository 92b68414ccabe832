package dev.rampart.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.agent.AgentEvents;
import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.DurableFiles;
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
 * entry, into the write-ahead log with ECS names. The cursor of the last entry made durable is kept
 * in a file (written after the log is forced to disk), and a restart continues after it; the first
 * start begins at the end of the journal. When the log is full the reader stops and starts again
 * from the cursor later: the journal itself holds the entries meanwhile.
 */
public final class JournalInput implements Closeable {
  static final int MAX_LINE = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

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
        JsonNode j;
        try {
          j = JSON.readTree(line);
        } catch (IOException bad) {
          skipped.incrementAndGet();
          continue;
        }
        if (j == null || !j.isObject()) {
          skipped.incrementAndGet();
          continue;
        }
        try {
          wal.append(event(j, host));
        } catch (AgentWal.FullException full) {
          break; // resume from the durable cursor once the server has taken some
        }
        entries.incrementAndGet();
        pending = j.path("__CURSOR").asText(pending);
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

  /** A journal entry as an event: message, time, host, process, unit, priority, cursor. */
  static Event event(JsonNode j, String fallbackHost) {
    Event e = new Event();
    String h = text(j, "_HOSTNAME");
    String hostName = h == null ? fallbackHost : h;
    String ident = text(j, "SYSLOG_IDENTIFIER");
    String program = ident != null ? ident : orEmpty(text(j, "_COMM"));
    int facility = -1;
    try {
      String f = text(j, "SYSLOG_FACILITY");
      facility = f == null ? -1 : Integer.parseInt(f.strip());
    } catch (NumberFormatException bad) {
      // no facility: the program decides
    }
    // the log type a syslog line of the same program gets, so Sigma's Linux auth rules see it
    e.source(
        new EventSource(
            AgentEvents.INPUT,
            hostName,
            dev.rampart.core.normalize.LinuxLogs.logType(facility, program)));
    String ts = text(j, "__REALTIME_TIMESTAMP");
    if (ts != null) {
      try {
        e.timestamp(Long.parseLong(ts) * 1000);
      } catch (NumberFormatException bad) {
        // the agent's receive time is set by the server
      }
    }
    e.addString("host.name", hostName);
    put(e, "message", j, "MESSAGE");
    e.addString("process.name", program);
    number(e, "process.pid", j, "_PID");
    put(e, "process.executable", j, "_EXE");
    put(e, "process.command_line", j, "_CMDLINE");
    put(e, "user.id", j, "_UID");
    number(e, "log.syslog.severity.code", j, "PRIORITY");
    number(e, "log.syslog.facility.code", j, "SYSLOG_FACILITY");
    put(e, "systemd.unit", j, "_SYSTEMD_UNIT");
    put(e, "journald.cursor", j, "__CURSOR");
    return e;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  // journalctl writes binary-unsafe values as arrays of byte values
  private static String text(JsonNode j, String key) {
    JsonNode v = j.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isArray()) {
      byte[] b = new byte[v.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) v.get(i).asInt();
      }
      return new String(b, StandardCharsets.UTF_8);
    }
    return v.asText();
  }

  private static void put(Event e, String name, JsonNode j, String key) {
    String v = text(j, key);
    if (v != null && !v.isEmpty()) {
      e.addString(name, v);
    }
  }

  private static void number(Event e, String name, JsonNode j, String key) {
    String v = text(j, key);
    if (v != null) {
      try {
        e.addLong(name, Long.parseLong(v.strip()));
      } catch (NumberFormatException bad) {
        e.addString(name, v);
      }
    }
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
