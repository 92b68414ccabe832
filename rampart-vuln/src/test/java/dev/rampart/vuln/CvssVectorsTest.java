package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.score.Cvss;
import dev.rampart.vuln.version.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CVSS scores against every vector file of the corpora, to one decimal. */
class CvssVectorsTest {
  static boolean same(String expected, Double ours) {
    if (expected.equals("None")) {
      return true; // the file's calculator gave none: nothing to compare
    }
    if (ours == null) {
      return false;
    }
    return Math.abs(Double.parseDouble(expected) - ours) < 1e-9
        || Cvss.format(Math.abs(Double.parseDouble(expected))).equals(Cvss.format(ours));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vectors_simple2.tsv",
        "vectors_calculator2.tsv",
        "vectors_cvsslib2.tsv",
        "vectors_simple3.tsv",
        "vectors_simple31.tsv",
        "vectors_calculator3.tsv",
        "vectors_cvsslib3.tsv",
        "vectors_simple4.tsv",
        "vectors_security4.tsv",
        "vectors_supplemental4.tsv",
        "vectors_threat4.tsv"
      })
  void everyVectorScoresAsItsFileSays(String file) throws Exception {
    List<Map<String, String>> rows = Vectors.read(Corpora.require("vuln/cvss-vectors/" + file));
    assertThat(rows).isNotEmpty();
    List<String> wrong = new ArrayList<>();
    for (Map<String, String> r : rows) {
      Cvss.Score s = Cvss.of(r.get("vector"));
      boolean ok =
          r.containsKey("score")
              ? same(r.get("score"), s.overall())
              : same(r.get("base"), s.base())
                  && same(r.get("temporal"), s.temporal())
                  && same(r.get("environmental"), s.environmental());
      if (!ok) {
        wrong.add(r + " -> " + s);
      }
    }
    System.out.printf("%s: %d/%d%n", file, rows.size() - wrong.size(), rows.size());
    assertThat(wrong).as("%d rows", rows.size()).isEmpty();
  }

  @Test
  void brokenVectorsAreRefusedWithWhy() {
    assertThatThrownBy(() -> Cvss.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"))
        .hasMessageContaining("lacks base metrics");
    assertThatThrownBy(() -> Cvss.of("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        .hasMessageContaining("AV given twice");
    assertThatThrownBy(() -> Cvss.of("hello")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Cvss.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").overall()).isEqualTo(9.8);
    assertThat(Cvss.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").severity())
        .isEqualTo("critical");
  }
}
