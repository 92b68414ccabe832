package dev.rampart.evtx;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.evtx.file.EvtxRecord;
import dev.rampart.evtx.render.EventBuilder;
import dev.rampart.evtx.render.JsonRenderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Records to {@link Event}s, the same events that reading {@code rampart evtx dump}'s JSON (the
 * layout of SigmaHQ's regression twins) with the core JSON reader and normalizers gives.
 *
 * <p>Two routes: {@link Route#JSON} renders each record as that JSON and reads it back, so it is
 * equal by construction (it is the reference); {@link Route#DIRECT} (the default) builds the event
 * from the record tree with {@link EventBuilder}, a third faster, and falls back to the JSON route
 * for the rare shapes it leaves to it. {@code EventBuilderTest} holds the routes equal on every
 * record of the corpora. One instance per thread.
 */
public final class EvtxEvents {
  /** How records become events. */
  public enum Route {
    DIRECT,
    JSON
  }

  /** Receives each event with the record it came from; the event is reused after the call. */
  @FunctionalInterface
  public interface Sink {
    void accept(Event event, long recordId, long fileOffset);
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final int BATCH = 256;

  private final String name;
  private final Sink sink;
  // made on the JSON route's first record: rare, and hunts make an instance per file (a quarter
  // megabyte zeroed per file was 5% of a hunt through many small files)
  private ByteArrayOutputStream buffer;
  private final long[] ids = new long[BATCH];
  private final long[] offsets = new long[BATCH];
  private final Event event = new Event();
  private final ProblemSink problems;
  private final Route route;
  private final EventBuilder builder = new EventBuilder();
  private int pending;

  public EvtxEvents(String name, ProblemSink problems, Sink sink) {
    this(name, problems, sink, Route.DIRECT);
  }

  public EvtxEvents(String name, ProblemSink problems, Sink sink, Route route) {
    this.name = name;
    this.problems = problems;
    this.sink = sink;
    this.route = route;
  }

  /**
   * Adds a record. On the direct route its event is delivered now; on the JSON route when a batch
   * is full and on {@link #flush()}. Events arrive in record order either way.
   */
  public void add(EvtxRecord r) {
    if (route == Route.DIRECT) {
      if (builder.build(r.root(), event)) {
        if (builder.duplicates() > 0) {
          problems.report(
              Problem.warning(
                  name,
                  0,
                  r.fileOffset(),
                  "record " + r.recordId() + ": a key occurs twice; the last value is kept"));
        }
        Normalizers.normalize(event);
        sink.accept(event, r.recordId(), r.fileOffset());
        return;
      }
      json(r);
      flush();
      return;
    }
    json(r);
  }

  private void json(EvtxRecord r) {
    if (buffer == null) {
      buffer = new ByteArrayOutputStream(1 << 18);
    }
    try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      JsonRenderer.write(r.root(), g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.write('\n');
    ids[pending] = r.recordId();
    offsets[pending] = r.fileOffset();
    if (++pending == BATCH) {
      flush();
    }
  }

  /** Delivers the records added so far. */
  public void flush() {
    if (pending == 0) {
      return;
    }
    try (JsonEventReader reader =
        new JsonEventReader(buffer.toByteArray(), name, ReadOptions.DEFAULTS, problems)) {
      while (reader.next(event)) {
        Normalizers.normalize(event);
        int line = (int) reader.recordLine() - 1;
        sink.accept(event, ids[line], offsets[line]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.reset();
    pending = 0;
  }
}
