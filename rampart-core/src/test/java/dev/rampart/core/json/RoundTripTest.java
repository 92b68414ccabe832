package dev.rampart.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Value;
import dev.rampart.core.io.Problems;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Write → read gives back an equal event, for randomly generated events (seed printed on failure).
 */
class RoundTripTest {

  @Property(tries = 300)
  void writeThenReadIsLossless(@ForAll long seed) throws IOException {
    Random rnd = new Random(seed);
    List<Event> events = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      events.add(randomEvent(rnd, 0));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonEventWriter w = new JsonEventWriter(out)) {
      for (Event e : events) {
        w.write(e);
      }
    }
    Problems problems = new Problems(10);
    List<Event> back = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(
            new ByteArrayInputStream(out.toByteArray()), "rt", ReadOptions.DEFAULTS, problems)) {
      Event e = new Event();
      while (r.next(e)) {
        back.add(e.copy());
      }
    }
    assertThat(problems.kept())
        .as("seed %d", seed)
        .noneMatch(p -> p.isError()); // big numbers warn, by design
    assertThat(back).as("seed %d", seed).isEqualTo(events);
  }

  /**
   * The same events read through a stream that hands out 1 to 7 bytes at a time into a 64-byte
   * buffer: every record crosses refills, at every possible token boundary.
   */
  @Property(tries = 200)
  void readsTheSameThroughTinyBuffersAndTrickledInput(@ForAll long seed) throws IOException {
    Random rnd = new Random(seed);
    List<Event> events = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      events.add(randomEvent(rnd, 0));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonEventWriter w = new JsonEventWriter(out)) {
      for (Event e : events) {
        w.write(e);
      }
    }
    byte[] bytes = out.toByteArray();
    java.io.InputStream trickle =
        new java.io.FilterInputStream(new ByteArrayInputStream(bytes)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + rnd.nextInt(7)));
          }
        };
    Problems problems = new Problems(10);
    List<Event> back = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(trickle, "trickle", ReadOptions.DEFAULTS, problems, 64)) {
      Event e = new Event();
      while (r.next(e)) {
        back.add(e.copy());
      }
    }
    assertThat(problems.kept()).as("seed %d", seed).noneMatch(p -> p.isError());
    assertThat(back).as("seed %d", seed).isEqualTo(events);
  }

  static Event randomEvent(Random rnd, int depth) {
    Event e = new Event();
    if (depth == 0 && rnd.nextBoolean()) {
      e.timestamp(rnd.nextLong(-4_000_000_000_000_000_000L, 7_000_000_000_000_000_000L));
    }
    if (depth == 0 && rnd.nextInt(3) == 0) {
      e.source(new EventSource("in" + rnd.nextInt(3), rnd.nextBoolean() ? "h" : "", "t/x"));
    }
    int fields = rnd.nextInt(8);
    List<String> used = new ArrayList<>();
    for (int i = 0; i < fields; i++) {
      String name = randomName(rnd);
      if (used.stream()
          .anyMatch(u -> u.equals(name) || u.startsWith(name + ".") || name.startsWith(u + "."))) {
        continue; // a flat key and a nested one of the same path are the same field
      }
      used.add(name);
      Value v = randomValue(rnd, depth);
      if (v instanceof Value.Ip && !ReadOptions.ECS_IP_FIELDS.contains(name)) {
        v = new Value.Str(v.asText());
      }
      e.add(FieldNames.id(name), v);
    }
    return e;
  }

  static String randomName(Random rnd) {
    String[] parts = {
      "a", "b", "process", "Image", "CommandLine", "x y", "é", "source", "ip", "#text"
    };
    if (rnd.nextInt(5) == 0) {
      return "source.ip";
    }
    StringBuilder sb = new StringBuilder(parts[rnd.nextInt(parts.length)]);
    while (rnd.nextInt(3) == 0) {
      sb.append('.').append(parts[rnd.nextInt(parts.length)]);
    }
    return sb.toString();
  }

  static Value randomValue(Random rnd, int depth) {
    return switch (rnd.nextInt(depth > 2 ? 7 : 9)) {
      case 0 -> Value.Null.INSTANCE;
      case 1 -> new Value.Str(randomString(rnd));
      case 2 -> new Value.Int64(rnd.nextLong());
      case 3 -> new Value.Float64(rnd.nextBoolean() ? rnd.nextDouble() * 1e6 : rnd.nextGaussian());
      case 4 -> Value.Bool.of(rnd.nextBoolean());
      case 5 -> new Value.BigNumber("98765432109876543210987654321");
      case 6 ->
          new Value.Ip(
              IpAddress.parse(
                  rnd.nextBoolean() ? "10.0.0." + rnd.nextInt(256) : "fe80::" + rnd.nextInt(999)));
      case 7 -> {
        List<Value> items = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          Value v = randomValue(rnd, depth + 1);
          items.add(v instanceof Value.Ip ip ? new Value.Str(ip.asText()) : v);
        }
        yield new Value.ListValue(items);
      }
      default -> {
        Event obj = randomEvent(rnd, depth + 1);
        for (int i = obj.size() - 1; i >= 0; i--) {
          if (obj.kind(i) == dev.rampart.core.event.Kind.IP) {
            obj.remove(i);
          }
        }
        yield new Value.ListValue(List.of(new Value.Obj(obj)));
      }
    };
  }

  static String randomString(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(6);
      sb.appendCodePoint(
          switch (kind) {
            case 0 -> rnd.nextInt(0x20); // control characters must be escaped
            case 1 -> '"';
            case 2 -> '\\';
            case 3 -> 0x1F600 + rnd.nextInt(50); // astral: surrogate pairs
            case 4 -> 0xE9;
            default -> 'a' + rnd.nextInt(26);
          });
    }
    return sb.toString();
  }
}
