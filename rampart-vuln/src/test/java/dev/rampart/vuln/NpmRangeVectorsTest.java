package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.version.NpmRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** npm ranges on node-semver's own fixtures: every row, no allow-list. */
class NpmRangeVectorsTest {
  static List<Map<String, String>> rows(String file) throws Exception {
    return dev.rampart.vuln.version.Vectors.read(Corpora.require("vuln/version-vectors/" + file));
  }

  static NpmRange.Options options(Map<String, String> r) {
    return new NpmRange.Options(
        Boolean.parseBoolean(r.get("loose")),
        Boolean.parseBoolean(r.getOrDefault("include_prerelease", "false")));
  }

  @Test
  void rangesNormaliseAsValidRangeDoes() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<Map<String, String>> rows = rows("npm_semver_range_parse.tsv");
    for (Map<String, String> r : rows) {
      NpmRange range = NpmRange.parse(r.get("range"), options(r));
      String ours = range == null ? "" : range.normalized().isEmpty() ? "*" : range.normalized();
      if (!ours.equals(r.get("normalized_or_empty_if_invalid"))) {
        wrong.add(r + " -> '" + ours + "'");
      }
    }
    assertThat(wrong).as("%d rows", rows.size()).isEmpty();
  }

  @Test
  void satisfiesAgreesOnEveryRow() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<Map<String, String>> rows = rows("npm_semver_satisfies.tsv");
    for (Map<String, String> r : rows) {
      NpmRange range = NpmRange.parse(r.get("range"), options(r));
      boolean ours = range != null && range.test(r.get("version"));
      if (ours != Boolean.parseBoolean(r.get("satisfies"))) {
        wrong.add(r + " -> " + ours);
      }
    }
    assertThat(wrong).as("%d rows", rows.size()).isEmpty();
  }

  @Test
  void outsideAgreesOnEveryRow() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<Map<String, String>> rows = rows("npm_semver_outside.tsv");
    for (Map<String, String> r : rows) {
      String[] expect = r.get("expect").split("=", 2);
      NpmRange range = NpmRange.parse(r.get("range"), options(r));
      NpmRange.Version v = NpmRange.version(r.get("version"), options(r).loose());
      boolean ours = range != null && v != null && range.outside(v, expect[0].equals("gtr"));
      if (ours != Boolean.parseBoolean(expect[1])) {
        wrong.add(r + " -> " + ours);
      }
    }
    assertThat(wrong).as("%d rows", rows.size()).isEmpty();
  }

  @Test
  void validVersionsParseToTheirParts() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map<String, String> r : rows("npm_semver_valid.tsv")) {
      NpmRange.Version v = NpmRange.version(r.get("version"), false);
      boolean valid = Boolean.parseBoolean(r.get("valid"));
      if ((v != null) != valid
          || (valid
              && !(v.major() + " " + v.minor() + " " + v.patch())
                  .equals(r.get("major") + " " + r.get("minor") + " " + r.get("patch")))) {
        wrong.add(r + " -> " + v);
      }
    }
    assertThat(wrong).isEmpty();
  }
}
