package dev.rampart.cli;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar with a rate on standard error, redrawn a few times a second by a background
 * thread, and silent when standard error is not a terminal (so logs and pipes stay clean).
 *
 * <pre>{@code
 * try (Progress p = Progress.start("simulate", total, "events")) {
 *   ... p.set(done) ...
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
  private final String label;
  private final long total;
  private final String unit;
  private final AtomicLong done = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final PrintStream err = System.err;
  private final Thread ticker;
  private volatile boolean running = true;

  private Progress(String label, long total, String unit, boolean enabled) {
    this.label = label;
    this.total = total;
    this.unit = unit;
    if (enabled) {
      ticker = Thread.ofVirtual().name("progress").start(this::tick);
    } else {
      ticker = null;
    }
  }

  /** Starts a bar; {@code total} may be 0 when unknown (a counter with a rate is shown). */
  public static Progress start(String label, long total, String unit) {
    return new Progress(label, total, unit, isTerminal());
  }

  /** True when a person is watching: a console is attached (and, on JDK 22+, it is a terminal). */
  public static boolean isTerminal() {
    String forced = System.getProperty("rampart.tty");
    if (forced != null) {
      return forced.equals("1") || forced.equalsIgnoreCase("true");
    }
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Console.isTerminal() exists from JDK 22; on 21 a non-null console already means a terminal.
      Method m = console.getClass().getMethod("isTerminal");
      return (Boolean) m.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  public void set(long value) {
    done.set(value);
  }

  public void add(long delta) {
    done.addAndGet(delta);
  }

  private void tick() {
    while (running) {
      draw(false);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void draw(boolean last) {
    long n = done.get();
    double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    double rate = n / secs;
    StringBuilder sb = new StringBuilder("\r").append(label).append(' ');
    if (total > 0) {
      int width = 30;
      int filled = (int) Math.min(width, width * n / total);
      sb.append('[').append("=".repeat(filled)).append(filled < width ? ">" : "");
      sb.append(" ".repeat(Math.max(0, width - filled - 1))).append("] ");
      sb.append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, 100 * n / total)));
    }
    sb.append(String.format(Locale.ROOT, "%,d %s  %,.0f %s/s", n, unit, rate, unit));
    if (total > 0 && n < total && rate > 0) {
      sb.append(String.format(Locale.ROOT, "  ETA %.0fs", (total - n) / rate));
    }
    sb.append("   ");
    if (last) {
      sb.append('\n');
    }
    err.print(sb);
    err.flush();
  }

  @Override
  public void close() {
    running = false;
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      draw(true);
    }
  }
}
