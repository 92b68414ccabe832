package dev.rampart.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.Problems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonEventReaderTest {

  record Result(List<Event> events, List<Long> lines, List<Long> offsets, List<Problem> problems) {
    List<Problem> errors() {
      return problems.stream().filter(Problem::isError).toList();
    }

    List<Problem> warnings() {
      return problems.stream().filter(p -> !p.isError()).toList();
    }
  }

  static Result read(String json) throws IOException {
    return read(json.getBytes(StandardCharsets.UTF_8), ReadOptions.DEFAULTS);
  }

  static Result read(byte[] bytes, ReadOptions options) throws IOException {
    Problems problems = new Problems(1000);
    List<Event> events = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(new ByteArrayInputStream(bytes), "t.json", options, problems)) {
      Event e = new Event();
      while (r.next(e)) {
        events.add(e.copy());
        lines.add(r.recordLine());
        offsets.add(r.recordOffset());
      }
      assertThat(r.records()).isEqualTo(events.size());
      assertThat(r.errors()).isEqualTo(problems.errors());
    }
    return new Result(events, lines, offsets, problems.kept());
  }

  @Test
  void aResetReaderReadsEachDocumentAsAFreshOneWould() throws IOException {
    List<String> docs =
        List.of(
            "{\"a\":1,\"host\":{\"name\":\"h\"}}",
            "{\"b\":",
            "[{\"x\":1},{\"y\":2}]",
            "{\"a\":1,\"a\":2}",
            "{\"host\":{\"name\":\"other\"},\"@timestamp\":\"2026-11-28T08:15:30Z\"}");
    Problems reused = new Problems(100);
    try (JsonEventReader r =
        new JsonEventReader(new byte[0], "mem", ReadOptions.DEFAULTS, reused)) {
      for (String doc : docs) {
        int before = reused.kept().size();
        r.reset(doc.getBytes(StandardCharsets.UTF_8));
        List<Event> events = new ArrayList<>();
        Event e = new Event();
        while (r.next(e)) {
          events.add(e.copy());
        }
        Result fresh = read(doc);
        assertThat(events).as(doc).isEqualTo(fresh.events());
        assertThat(reused.kept().subList(before, reused.kept().size()))
            .as(doc)
            .extracting(Problem::message)
            .isEqualTo(fresh.problems().stream().map(Problem::message).toList());
        assertThat(r.records()).isEqualTo(events.size());
      }
    }
  }

  @Test
  void readsFromAnArrayWithoutCopyingTheSameAsFromAStream() throws IOException {
    String text = "{\"a\":1}\n{\"b\":\n{\"c\":[1,2]}\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Problems problems = new Problems(10);
    List<Event> events = new ArrayList<>();
    try (JsonEventReader r = new JsonEventReader(bytes, "mem", ReadOptions.DEFAULTS, problems)) {
      Event e = new Event();
      while (r.next(e)) {
        events.add(e.copy());
      }
    }
    Result streamed = read(text);
    assertThat(events).isEqualTo(streamed.events());
    assertThat(problems.kept()).extracting(Problem::line).containsExactly(2L);
  }

  @Test
  void ndjsonWithLineNumbersAndOffsets() throws IOException {
    Result r = read("{\"a\":1}\n{\"b\":\"x\"}\r\n\n{\"c\":true}");
    assertThat(r.events()).hasSize(3);
    assertThat(r.lines()).containsExactly(1L, 2L, 4L);
    assertThat(r.offsets()).containsExactly(0L, 8L, 20L);
    assertThat(r.events().get(0).get("a")).isEqualTo(new Value.Int64(1));
    assertThat(r.events().get(1).get("b")).isEqualTo(new Value.Str("x"));
    assertThat(r.events().get(2).get("c")).isEqualTo(Value.Bool.TRUE);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void nestedObjectsFlattenToDottedNamesAndListsStayLists() throws IOException {
    Result r =
        read(
            "{\"process\":{\"name\":\"cmd.exe\",\"parent\":{\"pid\":4}},\"tags\":[\"a\",1,null],"
                + "\"answers\":[{\"ttl\":5,\"rr\":{\"type\":\"A\"}}],\"empty\":{},\"none\":[]}");
    Event e = r.events().get(0);
    assertThat(e.names())
        .containsExactly("process.name", "process.parent.pid", "tags", "answers", "empty", "none");
    assertThat(e.get("process.parent.pid")).isEqualTo(new Value.Int64(4));
    assertThat(e.get("tags"))
        .isEqualTo(
            new Value.ListValue(
                List.of(new Value.Str("a"), new Value.Int64(1), Value.Null.INSTANCE)));
    Value answers = e.get("answers");
    assertThat(answers.kind()).isEqualTo(Kind.LIST);
    Event obj = ((Value.Obj) ((Value.ListValue) answers).items().get(0)).fields();
    assertThat(obj.names()).containsExactly("ttl", "rr.type");
    assertThat(e.get("empty").kind()).isEqualTo(Kind.OBJECT);
    assertThat(e.get("none")).isEqualTo(new Value.ListValue(List.of()));
  }

  @Test
  void arrayOfObjects() throws IOException {
    Result r = read("[\n  {\"a\":1},\n  {\"a\":2}\n]\n");
    assertThat(r.events()).hasSize(2);
    assertThat(r.lines()).containsExactly(2L, 3L);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void concatenatedPrettyPrintedObjects() throws IOException {
    Result r = read("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"a\": {\n    \"b\": 2\n  }\n}\n");
    assertThat(r.events()).hasSize(2);
    assertThat(r.lines()).containsExactly(1L, 6L);
    assertThat(r.events().get(1).get("a.b")).isEqualTo(new Value.Int64(2));
  }

  @Test
  void severalObjectsOnOneLine() throws IOException {
    Result r = read("{\"a\":1}{\"a\":2} {\"a\":3}\n{\"a\":4}");
    assertThat(r.events()).hasSize(4);
    assertThat(r.lines()).containsExactly(1L, 1L, 1L, 2L);
  }

  @Test
  void byteOrderMarkIsSkipped() throws IOException {
    byte[] body = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    Result r = read(withBom, ReadOptions.DEFAULTS);
    assertThat(r.events()).hasSize(1);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void emptyAndBlankInputs() throws IOException {
    assertThat(read("").events()).isEmpty();
    assertThat(read(" \n\r\n\t ").events()).isEmpty();
    assertThat(read("[]").events()).isEmpty();
    assertThat(read("[]").problems()).isEmpty();
  }

  @Test
  void timestampAndSourceBecomeEventProperties() throws IOException {
    Result r =
        read(
            "{\"@timestamp\":\"2020-10-18T10:56:18.799123456Z\",\"rampart.input\":\"file:/x\","
                + "\"rampart\":{\"log_type\":\"windows/sysmon\"},\"a\":1}");
    Event e = r.events().get(0);
    assertThat(Timestamps.format(e.timestamp())).isEqualTo("2020-10-18T10:56:18.799123456Z");
    assertThat(e.source()).isEqualTo(new EventSource("file:/x", "", "windows/sysmon"));
    assertThat(e.names()).containsExactly("a");
  }

  @Test
  void badTimestampIsKeptAsAFieldWithAWarning() throws IOException {
    Result r = read("{\"@timestamp\":\"yesterday\"}");
    assertThat(r.events().get(0).hasTimestamp()).isFalse();
    assertThat(r.events().get(0).get("@timestamp")).isEqualTo(new Value.Str("yesterday"));
    assertThat(r.warnings()).hasSize(1);
  }

  @Test
  void ecsIpFieldsAreTyped() throws IOException {
    Result r =
        read("{\"source.ip\":\"10.1.2.3\",\"destination\":{\"ip\":\"fe80::1\"},\"x\":\"1.2.3.4\"}");
    Event e = r.events().get(0);
    assertThat(e.get("source.ip")).isEqualTo(new Value.Ip(IpAddress.parse("10.1.2.3")));
    assertThat(e.get("destination.ip").kind()).isEqualTo(Kind.IP);
    assertThat(e.get("x").kind()).isEqualTo(Kind.STRING);
    Result notIp = read("{\"source.ip\":\"-\"}");
    assertThat(notIp.events().get(0).get("source.ip")).isEqualTo(new Value.Str("-"));
  }

  @Test
  void hugeNumbersAreKeptExactlyAndReported() throws IOException {
    Result r =
        read(
            "{\"big\":123456789012345678901234567890,\"long\":9223372036854775807,"
                + "\"precise\":0.10000000000000000555111512312578270211815834045,\"d\":1.5,"
                + "\"inf\":1e400}");
    Event e = r.events().get(0);
    assertThat(e.get("big")).isEqualTo(new Value.BigNumber("123456789012345678901234567890"));
    assertThat(e.get("long")).isEqualTo(new Value.Int64(Long.MAX_VALUE));
    assertThat(e.get("precise").kind()).isEqualTo(Kind.BIG_NUMBER);
    assertThat(e.get("d")).isEqualTo(new Value.Float64(1.5));
    assertThat(e.get("inf")).isEqualTo(new Value.BigNumber("1e400"));
    assertThat(r.warnings()).hasSize(3);
  }

  @Test
  void unicodeEscapesAndSurrogatePairs() throws IOException {
    Result r = read("{\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\",\"k\\u00e9y\":1}");
    Event e = r.events().get(0);
    assertThat(e.get("s")).isEqualTo(new Value.Str("café 😀 \"q\" \\ \n"));
    assertThat(e.has("kéy")).isTrue();
  }

  @Test
  void duplicateKeysKeepTheLastValueWithAWarning() throws IOException {
    Result r = read("{\"a\":1,\"b\":2,\"a\":3,\"c\":{\"d\":1},\"c.d\":2}");
    Event e = r.events().get(0);
    assertThat(e.get("a")).isEqualTo(new Value.Int64(3));
    assertThat(e.get("c.d")).isEqualTo(new Value.Int64(2));
    assertThat(e.size()).isEqualTo(3);
    assertThat(r.warnings()).hasSize(2);
    assertThat(r.warnings().get(0).message()).contains("duplicate key 'a'");
  }

  @Test
  void deepNestingIsRejectedAndReadingGoesOn() throws IOException {
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    Result r = read(deep + "\n{\"ok\":1}\n");
    assertThat(r.events()).hasSize(1);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).message()).contains("nesting deeper than 64");
    assertThat(r.errors().get(0).line()).isEqualTo(1);
  }

  @Test
  void deepArraysAreRejectedToo() throws IOException {
    String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    Result r = read(deep + "\n{\"ok\":1}\n");
    assertThat(r.events()).hasSize(1);
    assertThat(r.errors()).hasSize(1);
  }

  @Test
  void invalidUtf8IsReplacedByDefault() throws IOException {
    byte[] bytes = {
      '{', '"', 'a', '"', ':', '"', 'x', (byte) 0xC3, (byte) 0x28, 'y', '"', '}', '\n'
    };
    Result r = read(bytes, ReadOptions.DEFAULTS);
    assertThat(r.events()).hasSize(1);
    assertThat(r.events().get(0).get("a")).isEqualTo(new Value.Str("x\uFFFD(y"));
    assertThat(r.warnings()).hasSize(1);
    assertThat(r.warnings().get(0).message()).contains("invalid UTF-8");
  }

  @Test
  void invalidUtf8CanBeRejected() throws IOException {
    byte[] bytes = {
      '{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}', '\n', '{', '"', 'b', '"', ':', '1', '}'
    };
    Result r = read(bytes, ReadOptions.DEFAULTS.withInvalidUtf8(ReadOptions.InvalidUtf8.REJECT));
    assertThat(r.events()).hasSize(1);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).line()).isEqualTo(1);
    assertThat(r.errors().get(0).byteOffset()).isBetween(6L, 7L); // at or just after the bad byte
  }

  @Test
  void truncatedLineDoesNotSwallowTheNextRecord() throws IOException {
    Result r = read("{\"a\":1\n{\"b\":2}\n{\"c\":\"unterminated\n{\"d\":4}\n");
    assertThat(r.events()).extracting(e -> e.names().get(0)).containsExactly("b", "d");
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errors()).extracting(Problem::line).containsExactly(1L, 3L);
    assertThat(r.errors().get(0).message()).contains("cut off");
  }

  @Test
  void truncatedPrettyRecordBeforeTheNextOne() throws IOException {
    Result r = read("{\n  \"a\": {\n    \"b\": 1\n{\n  \"c\": 2\n}\n");
    assertThat(r.events()).hasSize(1);
    assertThat(r.events().get(0).names()).containsExactly("c");
    assertThat(r.lines()).containsExactly(4L);
    assertThat(r.errors()).hasSize(1);
  }

  @Test
  void truncatedAtEndOfFile() throws IOException {
    Result r = read("{\"a\":1}\n{\"b\":[1,2");
    assertThat(r.events()).hasSize(1);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).message()).contains("end of the input");
    assertThat(r.errors().get(0).line()).isEqualTo(2);
  }

  @Test
  void garbageLinesAreEachReported() throws IOException {
    Result r = read("hello world\n{\"a\":1}\n42\n\"str\"\n{\"b\":2}\n");
    assertThat(r.events()).hasSize(2);
    assertThat(r.errors()).extracting(Problem::line).containsExactly(1L, 3L, 4L);
    assertThat(r.errors().get(0).message()).contains("expected a JSON object");
    assertThat(r.lines()).containsExactly(2L, 5L);
  }

  @Test
  void syntaxErrorsPointAtTheProblem() throws IOException {
    Result r = read("{\"a\":1}\n{\"a\": tru}\n{\"a\":3}\n");
    assertThat(r.events()).hasSize(2);
    assertThat(r.errors()).hasSize(1);
    Problem p = r.errors().get(0);
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.byteOffset()).isBetween(8L, 20L);
    assertThat(p.toString()).startsWith("t.json:2: byte ");
  }

  @Test
  void nonObjectArrayElementsAreSkipped() throws IOException {
    Result r = read("[{\"a\":1}, 2, \"x\", [3], {\"a\":4}]");
    assertThat(r.events()).hasSize(2);
    assertThat(r.errors()).hasSize(3);
  }

  @Test
  void oversizedRecordsAreSkippedWithoutHoldingThem() throws IOException {
    String big = "{\"a\":\"" + "x".repeat(10_000) + "\"}";
    Result r =
        read(
            (big + "\n{\"b\":1}\n" + big + "\n").getBytes(StandardCharsets.UTF_8),
            ReadOptions.DEFAULTS.withMaxRecordBytes(1000));
    assertThat(r.events()).hasSize(1);
    assertThat(r.lines()).containsExactly(2L);
    assertThat(r.errors()).hasSize(2);
  }

  @Test
  void recordsLargerThanTheBufferAreRead() throws IOException {
    String big = "x".repeat(3 << 20);
    Result r = read("{\"a\":1}\n{\"big\":\"" + big + "\"}\n{\"c\":3}\n");
    assertThat(r.events()).hasSize(3);
    assertThat(r.lines()).containsExactly(1L, 2L, 3L);
    assertThat(r.events().get(1).getText("big")).hasSize(3 << 20);
  }

  @Test
  void manyRecordsAcrossBufferBoundaries() throws IOException {
    StringBuilder sb = new StringBuilder();
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      sb.append("{\"i\":").append(i).append(",\"s\":\"").append("v".repeat(i % 37)).append("\"}\n");
    }
    Result r = read(sb.toString());
    assertThat(r.events()).hasSize(n);
    for (int i = 0; i < n; i += 997) {
      assertThat(r.events().get(i).get("i")).isEqualTo(new Value.Int64(i));
      assertThat(r.lines().get(i)).isEqualTo(i + 1);
    }
  }
}
