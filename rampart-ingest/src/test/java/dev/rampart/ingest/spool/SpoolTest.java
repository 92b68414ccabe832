package dev.rampart.ingest.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Value;
import dev.rampart.core.io.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  static Event random(Random rnd, int seq) {
    Event e = new Event();
    e.timestamp(1_700_000_000_000_000_000L + rnd.nextInt(1_000_000));
    e.source(new EventSource("syslog-tcp", "host-" + rnd.nextInt(5), "linux/auth"));
    e.addLong("seq", seq);
    e.addString("message", "line é " + rnd.nextInt());
    e.addString("host.name", "h" + rnd.nextInt(3));
    if (rnd.nextBoolean()) {
      // what the syslog parser writes: the message is the tail of the original line, and the
      // host name is repeated (references in encoding version 2)
      String message = "Accepted publickey for user" + rnd.nextInt(9) + " from 10.0.0.1";
      String line = "<13>1 2026-11-28T08:15:01Z h app - - - " + message;
      e.addString("event.original", rnd.nextInt(5) == 0 ? "é " + line : line);
      String host = "h" + rnd.nextInt(3);
      e.addString("log.syslog.hostname", host);
      e.addLong("between", 1);
      e.addString("host.hostname", host); // two before: a reference
      e.addString("host.name", host); // chained
      e.addLong("a", 1);
      e.addLong("b", 2);
      e.addString("host.name", host); // three before: written out
      e.source(new EventSource(e.source().input(), host, e.source().logType())); // a reference
      e.addString("message", rnd.nextInt(5) == 0 ? message.substring(0, 10) : message);
      e.addString("log.syslog.appname", "");
      e.addString("log.syslog.structured_data.meta.sequenceId", Integer.toString(rnd.nextInt()));
      e.addString("kv.", "a name that is only a prefix");
      e.addString("log.syslog.facility.name", rnd.nextBoolean() ? "auth" : "authx");
      e.addString("event.outcome", "success");
      // version 3: parts of the line, well-known list items
      e.addString("related.user", message.substring(9, 9 + 6 + rnd.nextInt(10)));
      e.addString("short", message.substring(0, 5));
      e.add(
          "event.category",
          new Value.ListValue(List.of(new Value.Str("authentication"), new Value.Str("x"))));
    }
    if (rnd.nextBoolean()) {
      e.add(
          "source.ip",
          new Value.Ip(
              IpAddress.parse(
                  rnd.nextBoolean()
                      ? "10.0.0." + rnd.nextInt(255)
                      : "2001:db8::" + rnd.nextInt(999))));
    }
    if (rnd.nextBoolean()) {
      e.add("ratio", new Value.Float64(rnd.nextDouble()));
      e.add("ok", Value.Bool.of(rnd.nextBoolean()));
      e.add("nothing", Value.Null.INSTANCE);
      e.add("big", new Value.BigNumber("123456789012345678901234567890"));
      e.add("when", new Value.Time(-5 + rnd.nextLong()));
      e.add("raw", new Value.Binary(new byte[] {1, 2, (byte) rnd.nextInt()}));
      Event inner = new Event(2);
      inner.addString("k", "v");
      e.add(
          "list",
          new Value.ListValue(
              List.of(new Value.Str("a"), new Value.Int64(-7), new Value.Obj(inner))));
    }
    return e;
  }

  @Property(tries = 200)
  void codecRoundTripsEveryKind(@ForAll long seed) {
    Random rnd = new Random(seed);
    Event e = random(rnd, rnd.nextInt());
    ByteSink out = new ByteSink(64);
    EventCodec.encode(e, out);
    Event back = new Event();
    byte[] b = out.toByteArray();
    EventCodec.decode(b, 0, b.length, back);
    assertThat(back).as("seed %d", seed).isEqualTo(e);
    // the time alone, read in place (what the Flink job's watermarks use)
    assertThat(EventCodec.timestamp(b, 0, b.length)).as("seed %d", seed).isEqualTo(e.timestamp());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventCodec.timestamp(b, 0, 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Property(tries = 300)
  void fastEncoderWritesTheReferenceBytes(@ForAll long seed) {
    Random rnd = new Random(seed);
    Event e = random(rnd, rnd.nextInt());
    if (rnd.nextBoolean()) {
      // non-ASCII text takes the encoder's fallback; names too
      e.addString("naïve.größe", "Überwachung \u00e9t\u00e9 \ud83d\ude00 " + rnd.nextInt());
    }
    ByteSink reference = new ByteSink(16);
    EventCodec.encode(e, reference);
    ByteSink fast = new ByteSink(16);
    fast.write(7); // appends after what is there
    EventCodec.Encoder encoder = new EventCodec.Encoder();
    encoder.encode(e, fast);
    encoder.encode(e, fast); // second time from the name cache
    byte[] once = reference.toByteArray();
    byte[] expected = new byte[1 + 2 * once.length];
    expected[0] = 7;
    System.arraycopy(once, 0, expected, 1, once.length);
    System.arraycopy(once, 0, expected, 1 + once.length, once.length);
    assertThat(fast.toByteArray()).as("seed %d", seed).isEqualTo(expected);
  }

  @Test
  void wellKnownNamesAreAppendOnly() throws IOException {
    // The index of a well-known name is on disk in every version-2 record: entries may be added
    // at the end, never moved or removed. This file is the list as first shipped.
    List<String> shipped;
    try (var in = SpoolTest.class.getResourceAsStream("/spool/well-known-names-v2.txt")) {
      shipped =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(EventCodec.WELL_KNOWN.subList(0, shipped.size())).isEqualTo(shipped);
    List<String> prefixes;
    try (var in = SpoolTest.class.getResourceAsStream("/spool/well-known-prefixes-v2.txt")) {
      prefixes =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(EventCodec.WELL_KNOWN_PREFIXES.subList(0, prefixes.size())).isEqualTo(prefixes);
    assertThat(EventCodec.WELL_KNOWN_PREFIXES.size()).isLessThanOrEqualTo(128);
    List<String> values;
    try (var in = SpoolTest.class.getResourceAsStream("/spool/well-known-values-v3.txt")) {
      // lines() would drop the trailing empty value; split keeps it
      values =
          List.of(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .split("\n", -1));
    }
    values = values.subList(0, values.size() - 1); // the file's final newline
    assertThat(EventCodec.WELL_KNOWN_VALUES.subList(0, values.size())).isEqualTo(values);
  }

  /** What a spool told the page cache to drop: a segment file's name and a range of it. */
  record Drop(String file, long offset, long length) {}

  /** A page cache that only writes down what it is told. */
  static final class Recording implements PageCache {
    final List<Drop> drops = new ArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void drop(Path file, long offset, long length) {
      drops.add(new Drop(file.getFileName().toString(), offset, length));
    }
  }

  @Test
  void pagesFarBehindTheNewestDurableRecordAreDroppedOnceAndNothingNewer() throws IOException {
    // A window of 16 KiB over 4 KiB segments: every sync may drop whole and partial segments, but
    // only bytes that are durable and more than the window behind, each byte once, in order.
    long window = 16 << 10;
    Spool.Options small = new Spool.Options(4096, true, 1L << 30, Duration.ofDays(7), window);
    Recording recording = new Recording();
    List<Drop> drops = recording.drops;
    Random rnd = new Random(3);
    Path d = dir.resolve("drops");
    long durable;
    try (Spool s = Spool.open(d, small, new Problems(10), recording)) {
      int seq = 0;
      for (int round = 0; round < 200; round++) {
        for (int i = rnd.nextInt(8); i > 0; i--) {
          s.append(random(rnd, seq++));
        }
        if (rnd.nextBoolean()) {
          s.sync();
        } else {
          s.syncTo(s.end());
        }
        long covered =
            drops.stream()
                .mapToLong(x -> Long.parseLong(x.file().substring(0, 20)) + x.offset() + x.length())
                .max()
                .orElse(Long.MIN_VALUE);
        assertThat(covered).isLessThanOrEqualTo(s.durable() - window);
      }
      durable = s.durable();
    }
    assertThat(durable).isGreaterThan(10 * window);
    // Each range inside its segment file; together they cover everything from the start up to a
    // step of the window with no gap (a range may start again up to 2 MiB before where the last
    // one ended: the kernel keeps a page-cache folio that a range covers only in part).
    long next = 0;
    for (Drop x : drops) {
      long base = Long.parseLong(x.file().substring(0, 20));
      assertThat(base + x.offset()).isLessThanOrEqualTo(next);
      assertThat(x.offset() + x.length()).isLessThanOrEqualTo(Files.size(d.resolve(x.file())));
      next = Math.max(next, base + x.offset() + x.length());
    }
    assertThat(next).isGreaterThan(durable - window - 4096);
    // Reading dropped bytes is only slower: every record is still there.
    int[] count = {0};
    try (Spool s = Spool.open(d, small, new Problems(10), recording)) {
      s.read(0, (e, off, nx) -> count[0]++);
      drops.clear();
      s.sync();
      assertThat(drops).isEmpty(); // what an earlier process wrote is left to the system
    }
    assertThat(count[0]).isPositive();
  }

  @Test
  void aWindowOfLongMaxValueNeverDrops() throws IOException {
    Spool.Options keep =
        new Spool.Options(4096, true, 1L << 30, Duration.ofDays(7), Long.MAX_VALUE);
    Recording recording = new Recording();
    Random rnd = new Random(4);
    try (Spool s = Spool.open(dir.resolve("keep"), keep, new Problems(10), recording)) {
      for (int i = 0; i < 2000; i++) {
        s.append(random(rnd, i));
        if (i % 10 == 0) {
          s.sync();
        }
      }
    }
    assertThat(recording.drops).isEmpty();
  }

  @Test
  void pollingTheActiveSegmentReadsOnlyWhatIsNew() throws IOException {
    // A consumer that polls (the store, detection) reads from its offset to the durable end,
    // across segment boundaries, and each record exactly once.
    Spool.Options small = new Spool.Options(8192, true, 1L << 30, Duration.ofDays(7));
    Random rnd = new Random(11);
    List<Long> seen = new ArrayList<>();
    try (Spool s = Spool.open(dir.resolve("poll"), small, new Problems(10))) {
      long at = s.start();
      int seq = 0;
      for (int round = 0; round < 40; round++) {
        int n = rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
          s.append(random(rnd, seq++));
        }
        if (rnd.nextBoolean()) {
          s.sync(); // unsynced records are not read yet
        }
        at = s.read(at, (e, off, next) -> seen.add(e.longValue(e.indexOf("seq"))));
      }
      s.sync();
      s.read(at, (e, off, next) -> seen.add(e.longValue(e.indexOf("seq"))));
      List<Long> all = new ArrayList<>();
      for (long i = 0; i < seq; i++) {
        all.add(i);
      }
      assertThat(seen).isEqualTo(all);
    }
  }

  @Test
  void aReaderBesideAnAppenderSeesEveryRecordIntact() throws Exception {
    // The store and detection read while ingest appends and syncs; reads take no lock, so they
    // must share no state with the appender (a shared CRC once made good records look damaged).
    Spool.Options small = new Spool.Options(64 << 10, true, 1L << 30, Duration.ofDays(7));
    Problems problems = new Problems(10);
    int n = 20_000;
    List<Long> seen = new ArrayList<>();
    try (Spool s = Spool.open(dir.resolve("concurrent"), small, problems)) {
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    Random rnd = new Random(5);
                    try {
                      for (int i = 0; i < n; i++) {
                        s.append(random(rnd, i));
                        if (i % 50 == 49) {
                          s.syncTo(s.end());
                        }
                      }
                      s.sync();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      long at = s.start();
      while (seen.size() < n) {
        at = s.read(at, (e, off, next) -> seen.add(e.longValue(e.indexOf("seq"))));
        if (!writer.isAlive() && at == s.durable() && seen.size() < n) {
          break;
        }
      }
      writer.join();
    }
    assertThat(problems.errors()).as("damaged records reported").isZero();
    assertThat(seen).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }

  @Test
  void oneOwnerAtATime() throws IOException {
    // a second appender would interleave records; the lock is the OS's, so kill -9 releases it
    Path d = dir.resolve("owned");
    try (Spool s = Spool.open(d, Spool.Options.defaults(), new Problems(10))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Spool.open(d, Spool.Options.defaults(), new Problems(10)))
          .isInstanceOf(Spool.InUseException.class)
          .hasMessageContaining("in use by another Rampart process");
      s.append(random(new Random(1), 0));
    }
    try (Spool again = Spool.open(d, Spool.Options.defaults(), new Problems(10))) {
      assertThat(again.end()).isPositive();
    }
  }

  @Test
  void readsVersionOneRecords() {
    // A version-1 record, where every name is its text: {ts 5, source (in, h, t), seq=7}.
    ByteSink v1 = new ByteSink(32);
    v1.write(1);
    v1.write(10); // zig-zag 5
    for (String text : List.of("in", "h", "t", "seq")) {
      if (text.equals("seq")) {
        v1.write(2); // one field
      }
      v1.write(2 * text.length());
      v1.writeBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    v1.write(dev.rampart.core.event.Kind.LONG.ordinal());
    v1.write(14); // zig-zag 7
    Event back = new Event();
    byte[] b = v1.toByteArray();
    EventCodec.decode(b, 0, b.length, back);
    assertThat(back.timestamp()).isEqualTo(5);
    assertThat(back.source()).isEqualTo(new EventSource("in", "h", "t"));
    assertThat(back.get("seq")).isEqualTo(new Value.Int64(7));
  }

  @Test
  void framedBatchesLandAsSingleAppendsWouldAcrossSegments() throws IOException {
    // Parser threads frame records themselves and append whole runs; the log must be the one
    // single appends would write: same records, same segment boundaries, same offsets.
    Spool.Options small = new Spool.Options(4096, true, 1L << 30, Duration.ofDays(7));
    Random rnd = new Random(3);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      events.add(random(rnd, i));
    }
    Path single = dir.resolve("single");
    Path framed = dir.resolve("framed");
    try (Spool s = Spool.open(single, small, new Problems(10))) {
      for (Event e : events) {
        s.append(e);
      }
      s.sync();
      assertThat(s.appended()).isEqualTo(events.size());
    }
    try (Spool s = Spool.open(framed, small, new Problems(10))) {
      EventCodec.Encoder encoder = new EventCodec.Encoder();
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      int i = 0;
      while (i < events.size()) {
        int batch = 1 + rnd.nextInt(60);
        ByteSink sink = new ByteSink(64);
        int[] starts = new int[batch];
        int count = 0;
        for (; count < batch && i < events.size(); count++, i++) {
          int start = sink.size();
          starts[count] = start;
          sink.ensure(Spool.FRAME_HEADER);
          sink.size(start + Spool.FRAME_HEADER);
          encoder.encode(events.get(i), sink);
          Spool.frame(sink, start, crc);
        }
        s.appendFramed(sink.array(), starts, count, sink.size());
        s.syncTo(s.end());
      }
      // the records counted, however they were appended (the dashboard's ingest rate)
      assertThat(s.appended()).isEqualTo(events.size());
    }
    try (var a = Files.list(single);
        var b = Files.list(framed)) {
      List<String> names = a.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(b.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(names);
      for (String n : names) {
        if (n.endsWith(".seg")) {
          assertThat(Files.readAllBytes(framed.resolve(n)))
              .as(n)
              .isEqualTo(Files.readAllBytes(single.resolve(n)));
        }
      }
    }
  }

  @Test
  void appendSyncReadAcrossSegmentsAndResumeFromACommittedOffset() throws IOException {
    Spool.Options small = new Spool.Options(4096, true, 1L << 30, Duration.ofDays(7));
    Random rnd = new Random(1);
    List<Event> written = new ArrayList<>();
    try (Spool s = Spool.open(dir, small, new Problems(10))) {
      for (int i = 0; i < 500; i++) {
        Event e = random(rnd, i);
        written.add(e.copy());
        s.append(e);
      }
      s.sync();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isGreaterThan(10);
    }
    try (Spool s = Spool.open(dir, small, new Problems(10))) {
      List<Event> first = new ArrayList<>();
      long[] stop = {-1};
      s.read(
          s.committed("detection"),
          (e, off, next) -> {
            if (first.size() < 200) {
              first.add(e.copy());
              stop[0] = next;
            }
          });
      s.commit("detection", stop[0]);
    }
    try (Spool s = Spool.open(dir, small, new Problems(10))) {
      List<Event> rest = new ArrayList<>();
      s.read(s.committed("detection"), (e, off, next) -> rest.add(e.copy()));
      assertThat(rest).hasSize(300);
      assertThat(rest.get(0)).isEqualTo(written.get(200));
      assertThat(rest.get(299)).isEqualTo(written.get(499));
    }
  }

  @Test
  void aTornTailIsCutOffAndReportedAndWritingGoesOn() throws IOException {
    try (Spool s = Spool.open(dir, Spool.Options.defaults(), new Problems(10))) {
      for (int i = 0; i < 10; i++) {
        s.append(random(new Random(i), i));
      }
      s.sync();
    }
    Path seg;
    try (var files = Files.list(dir)) {
      seg = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    long size = Files.size(seg);
    Files.write(seg, new byte[] {(byte) 0xA5, 0, 0, 1, 0, 9, 9}, StandardOpenOption.APPEND);
    Problems problems = new Problems(10);
    try (Spool s = Spool.open(dir, Spool.Options.defaults(), problems)) {
      assertThat(problems.kept()).hasSize(1);
      assertThat(problems.kept().get(0).toString()).contains("torn tail of 7 bytes removed");
      assertThat(Files.size(seg)).isEqualTo(size);
      s.append(random(new Random(99), 10));
      s.sync();
      List<Long> seqs = new ArrayList<>();
      s.read(
          0,
          (e, off, next) ->
              seqs.add(e.longValue(e.indexOf(dev.rampart.core.event.FieldNames.id("seq")))));
      assertThat(seqs).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }
  }

  @Test
  void retentionDeletesOldClosedSegmentsOnly() throws IOException {
    Spool.Options o = new Spool.Options(2048, true, 8192, Duration.ofDays(7));
    try (Spool s = Spool.open(dir, o, new Problems(10))) {
      for (int i = 0; i < 300; i++) {
        s.append(random(new Random(i), i));
      }
      s.sync();
      int deleted = s.applyRetention(Instant.now());
      assertThat(deleted).isPositive();
      long total = 0;
      try (var files = Files.list(dir)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
          total += Files.size(p);
        }
      }
      assertThat(total).isLessThanOrEqualTo(8192 + 2048);
      Problems problems = new Problems(10);
      List<Event> left = new ArrayList<>();
      long next = s.read(0, (e, off, n) -> left.add(e.copy()));
      assertThat(left).isNotEmpty();
      assertThat(next).isEqualTo(s.end());
    }
  }
}
