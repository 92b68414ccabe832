package dev.rampart.evtx;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.evtx.file.EvtxRecord;
import dev.rampart.evtx.render.JsonRenderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Records to {@link Event}s. A record goes through exactly the JSON that {@code rampart evtx dump}
 * writes and that SigmaHQ's regression twins hold, read back by the same {@link JsonEventReader}
 * and normalizers as any JSON log: an EVTX file and its JSON rendering become the same events by
 * construction. Records are converted in batches to keep the JSON reader's setup cost off each
 * record. One instance per thread.
 */
public final class EvtxEvents {
  /** Receives each event with the record it came from; the event is reused after the call. */
  @FunctionalInterface
  public interface Sink {
    void accept(Event event, long recordId, long fileOffset);
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final int BATCH = 256;

  private final String name;
  private final Sink sink;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 18);
  private final long[] ids = new long[BATCH];
  private final long[] offsets = new long[BATCH];
  private final Event event = new Event();
  private final ProblemSink problems;
  private int pending;

  public EvtxEvents(String name, ProblemSink problems, Sink sink) {
    this.name = name;
    this.problems = problems;
    this.sink = sink;
  }

  /** Adds a record; events are delivered when a batch is full and on {@link #flush()}. */
  public void add(EvtxRecord r) {
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
      int i = 0;
      while (reader.next(event)) {
        Normalizers.normalize(event);
        int line = (int) reader.recordLine() - 1;
        sink.accept(event, ids[line], offsets[line]);
        i++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.reset();
    pending = 0;
  }
}
