package dev.rampart.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.store.mapping.Values;
import java.util.List;
import java.util.Random;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/** The indexer's shortcuts give what the plain rules give. */
class DocumentBuilderTest {
  @Test
  void foldedBytesAreTheFoldedValuesBytes() {
    long seed = System.nanoTime();
    System.out.println("DocumentBuilderTest seed " + seed);
    Random rnd = new Random(seed);
    String alphabet = "aZ09-_ .\\:{}ÄäÉéİıßΣς漢😀Kk";
    for (String s : List.of("", "cmd.exe", "CMD.EXE", "C:\\Windows", "İstanbul", "ΣΑΣ", "😀A")) {
      assertThat(DocumentBuilder.folded(new BytesRef(s), s).utf8ToString())
          .as(s)
          .isEqualTo(Values.folded(s));
    }
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(12);
      for (int j = 0; j < n; j++) {
        b.appendCodePoint(
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, rnd.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      String s = b.toString();
      assertThat(DocumentBuilder.folded(new BytesRef(s), s).utf8ToString())
          .as("seed %d: %s", seed, s)
          .isEqualTo(Values.folded(s));
    }
  }

  @Test
  void numbersAreRecognisedWithoutExceptionsAsBefore() {
    for (String s : List.of("0", "-12", "+7", "9223372036854775807", "-9223372036854775808")) {
      assertThat(Values.parseLong(s)).as(s).isEqualTo(Long.parseLong(s));
    }
    for (String s :
        List.of(
            "",
            "-",
            "+",
            "1.5",
            "0x",
            "0xg1",
            "-0x1",
            "12a",
            " 1",
            "9223372036854775808",
            "--1",
            "0x8000000000000000",
            "0x00000000000000001")) {
      assertThat(Values.parseLong(s)).as(s).isNull();
    }
    // Windows Security's hex ids
    assertThat(Values.parseLong("0x1a4")).isEqualTo(420L);
    assertThat(Values.parseLong("0X1A4")).isEqualTo(420L);
    assertThat(Values.parseLong("0x7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
  }
}
