package dev.rampart.ingest.pipeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.Parsers;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inputs → bounded queue → parser workers → durable spool. {@link #submit} blocks while the queue
 * is full (TCP inputs stop reading, which pushes back on the sender); {@link #offer} never blocks
 * and counts what it had to drop (UDP, which cannot be flow-controlled). Each worker parses and
 * encodes a batch with its own parser, appends it to the spool and hands it to the sync stage,
 * which forces the spool to disk for every batch that arrived meanwhile (a group commit) and only
 * then completes their acknowledgements and counts them as parsed. Workers never wait for the disk,
 * so parsing and fsync overlap. A message that does not parse goes to the dead-letter file with its
 * reason and input; nothing is dropped silently.
 */
public final class Pipeline implements Closeable {
  /**
   * A message as an input received it: its text, the input's name, the sender, a future completed
   * once the message is durable in the spool (or null), fields the input adds to the parsed event
   * (file path and offset; strings or longs; or null), how to parse it when not with the pipeline's
   * parser (a file's own: an audit log read by {@code auditd}, syslog years before the file's last
   * write; or null), and the event itself when the input read it already (an EVTX record, a JSON
   * document's record: nothing to parse, {@code text} is empty; or null).
   */
  public record Message(
      String text,
      String input,
      String peer,
      CompletableFuture<Void> ack,
      java.util.Map<String, Object> extra,
      Parsing parsing,
      Event event) {
    public Message(
        String text,
        String input,
        String peer,
        CompletableFuture<Void> ack,
        java.util.Map<String, Object> extra) {
      this(text, input, peer, ack, extra, null, null);
    }

    public Message(String text, String input, String peer, CompletableFuture<Void> ack) {
      this(text, input, peer, ack, null);
    }

    /** An event already read (kept as it is: pass a copy of a reader's reused event). */
    public static Message read(Event e, String input, java.util.Map<String, Object> extra) {
      return new Message("", input, "", null, extra, null, e);
    }
  }

  /** A parser and its options, for the messages of one file; the name is checked when made. */
  public record Parsing(String parser, ParseOptions options) {
    public Parsing {
      if (Parsers.named(parser, options) == null) {
        throw new IllegalArgumentException("no parser '" + parser + "'");
      }
    }
  }

  /**
   * @param parser parser name ({@code auto} by default)
   * @param queue capacity of the bounded queue, in messages
   * @param workers parser threads
   * @param batch messages per spool sync
   */
  public record Options(String parser, int queue, int workers, int batch) {
    public static Options defaults() {
      return new Options(
          "auto", 65_536, Math.max(1, Runtime.getRuntime().availableProcessors()), 1024);
    }
  }

  /** Counters for metrics: received, parsed, failed (dead-lettered), dropped, bytes. */
  public final AtomicLong received = new AtomicLong();

  public final AtomicLong parsed = new AtomicLong();
  public final AtomicLong failed = new AtomicLong();
  public final AtomicLong dropped = new AtomicLong();
  public final AtomicLong bytes = new AtomicLong();

  private final BlockingQueue<Message> queue;
  private final Spool spool;
  private final Options options;
  private final Path deadLetter;
  // Opened on the first failure and kept open; guarded by this.
  private FileChannel deadLetterChannel;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  /** A batch appended to the spool and waiting for its fsync: the spool end after it. */
  private record Appended(long end, List<Message> messages, int parsed) {}

  // Bounded, so workers slow down when the disk cannot keep up instead of piling up batches.
  private final BlockingQueue<Appended> appended = new ArrayBlockingQueue<>(64);
  private final Thread syncer;
  private volatile boolean syncing = true;

  public Pipeline(Spool spool, Path deadLetter, Options options) {
    this.spool = spool;
    this.deadLetter = deadLetter;
    this.options = options;
    this.queue = new ArrayBlockingQueue<>(options.queue());
    if (Parsers.named(options.parser(), ParseOptions.defaults()) == null) {
      throw new IllegalArgumentException("no parser '" + options.parser() + "'");
    }
    this.syncer = Thread.ofPlatform().name("spool-sync").daemon(true).start(this::syncLoop);
    for (int i = 0; i < options.workers(); i++) {
      Thread t = Thread.ofPlatform().name("parser-" + i).daemon(true).start(this::work);
      workers.add(t);
    }
  }

  /** Queues a message, waiting while the queue is full (backpressure). */
  public void submit(Message m) throws InterruptedException {
    received.incrementAndGet();
    bytes.addAndGet(m.text().length());
    queue.put(m);
  }

  /**
   * Queues a message, waiting up to {@code timeout} for room; false when there was none (HTTP
   * answers 429 then, so the message is the sender's to retry, not dropped).
   */
  public boolean offer(Message m, long timeout, TimeUnit unit) throws InterruptedException {
    if (queue.offer(m, timeout, unit)) {
      received.incrementAndGet();
      bytes.addAndGet(m.text().length());
      return true;
    }
    return false;
  }

  /** Queues a message if there is room; false (and counted as dropped) when there is none. */
  public boolean offer(Message m) {
    received.incrementAndGet();
    bytes.addAndGet(m.text().length());
    if (queue.offer(m)) {
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  /** A worker's batch of encoded, framed events, filled outside the spool's lock. */
  private static final class Frames {
    final ByteSink encoded = new ByteSink(1 << 20);
    final EventCodec.Encoder encoder = new EventCodec.Encoder();
    final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    int[] starts;
    int count;

    Frames(int batch) {
      starts = new int[batch];
    }

    void reset() {
      encoded.reset();
      count = 0;
    }

    /** Encodes {@code e} as {@code m}'s input received it: its name, sender and extra fields. */
    void add(Event e, Message m) {
      EventSource s = e.source();
      e.source(new EventSource(m.input(), s.host().isEmpty() ? m.peer() : s.host(), s.logType()));
      if (m.extra() != null) {
        for (java.util.Map.Entry<String, Object> x : m.extra().entrySet()) {
          if (x.getValue() instanceof Long l) {
            e.addLong(x.getKey(), l);
          } else {
            e.addString(x.getKey(), String.valueOf(x.getValue()));
          }
        }
      }
      if (count == starts.length) {
        starts = java.util.Arrays.copyOf(starts, starts.length * 2);
      }
      int start = encoded.size();
      starts[count++] = start;
      encoded.ensure(Spool.FRAME_HEADER);
      encoded.size(start + Spool.FRAME_HEADER);
      encoder.encode(e, encoded);
      Spool.frame(encoded, start, crc);
    }
  }

  private void work() {
    Parser parser = Parsers.named(options.parser(), ParseOptions.defaults());
    // the parsers of files read with their own (few: one per file being read)
    java.util.Map<Parsing, Parser> own = new java.util.HashMap<>();
    Event e = new Event();
    List<Message> batch = new ArrayList<>(options.batch());
    long end;
    JsonFactory json = new JsonFactory();
    Frames frames = new Frames(options.batch());
    ByteArrayOutputStream rejected = new ByteArrayOutputStream();
    while (running || !queue.isEmpty()) {
      try {
        Message first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, options.batch() - 1);
        // Parse and encode outside the spool's lock (the work that scales with cores); only the
        // appends and the fsync are serialized.
        frames.reset();
        rejected.reset();
        for (Message m : batch) {
          if (m.event() != null) {
            frames.add(m.event(), m);
            continue;
          }
          Parser p = parser;
          if (m.parsing() != null) {
            if (own.size() > 256) {
              own.clear(); // files long read; their parsers are cheap to make again
            }
            p = own.computeIfAbsent(m.parsing(), k -> Parsers.named(k.parser(), k.options()));
          }
          ParseError error = p.parse(m.text(), e);
          if (error != null) {
            failed.incrementAndGet();
            // Kept with its reason; written and synced with the batch, before its ack.
            deadLetter(json, m, m.text(), error, rejected);
            continue;
          }
          do {
            frames.add(e, m);
          } while (p.next(e)); // a message of several records (CloudTrail, Azure Monitor)
          for (Parser.Rejected r : p.rejected()) {
            failed.incrementAndGet(); // a record of it that could not be read
            deadLetter(json, m, r.text(), r.error(), rejected);
          }
        }
        // Framed and checksummed above, outside the lock; here only the copy.
        end =
            spool.appendFramed(
                frames.encoded.array(), frames.starts, frames.count, frames.encoded.size());
        if (rejected.size() > 0) {
          writeDeadLetters(rejected);
        }
        appended.put(new Appended(end, batch, frames.count));
        batch = new ArrayList<>(options.batch()); // the sync stage owns the old one now
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException ex) {
        fail(batch, ex);
        batch.clear();
      }
    }
  }

  /**
   * The sync stage: one fsync for every batch appended since the last one, then their acks. The
   * fsync runs outside the spool's lock ({@link Spool#syncTo}), so workers keep appending.
   */
  private void syncLoop() {
    List<Appended> ready = new ArrayList<>();
    while (syncing || !appended.isEmpty()) {
      try {
        Appended first = appended.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        ready.add(first);
        appended.drainTo(ready);
        long end = 0;
        int count = 0;
        for (Appended a : ready) {
          end = Math.max(end, a.end());
          count += a.parsed();
        }
        try {
          spool.syncTo(end);
        } catch (IOException | RuntimeException ex) {
          for (Appended a : ready) {
            fail(a.messages(), ex);
          }
          continue;
        }
        parsed.addAndGet(count);
        for (Appended a : ready) {
          for (Message m : a.messages()) {
            if (m.ack() != null) {
              m.ack().complete(null);
            }
          }
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        ready.clear();
      }
    }
  }

  private static void fail(List<Message> batch, Exception ex) {
    for (Message m : batch) {
      if (m.ack() != null) {
        m.ack().completeExceptionally(ex);
      }
    }
  }

  private static void deadLetter(
      JsonFactory json, Message m, String text, ParseError error, ByteArrayOutputStream into)
      throws IOException {
    try (JsonGenerator g = json.createGenerator(into, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("input", m.input());
      g.writeStringField("peer", m.peer());
      g.writeStringField("reason", error.toString());
      g.writeStringField("message", text);
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  /**
   * Appends a batch's rejected messages to the dead-letter file and syncs it, so a rejected message
   * is as durable as a spooled one when its ack completes.
   */
  private synchronized void writeDeadLetters(ByteArrayOutputStream rejected) throws IOException {
    if (deadLetterChannel == null) {
      deadLetterChannel =
          FileChannel.open(
              deadLetter,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
    }
    rejected.writeTo(Channels.newOutputStream(deadLetterChannel));
    deadLetterChannel.force(false);
  }

  /** The parser of messages that do not name their own. */
  public String parser() {
    return options.parser();
  }

  /** Messages waiting in the queue. */
  public int queued() {
    return queue.size();
  }

  /** Stops accepting work after the queue drains; waits for the workers. */
  @Override
  public void close() throws IOException {
    running = false;
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
    syncing = false;
    try {
      syncer.join(10_000);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (deadLetterChannel != null) {
        deadLetterChannel.close();
        deadLetterChannel = null;
      }
    }
  }
}
