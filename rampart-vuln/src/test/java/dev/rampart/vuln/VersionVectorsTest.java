package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.version.Apk;
import dev.rampart.vuln.version.Ecosystem;
import dev.rampart.vuln.version.GoSemver;
import dev.rampart.vuln.version.Pep440;
import dev.rampart.vuln.version.Vectors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** Every comparison vector file of the corpora, through its ecosystem's order. */
class VersionVectorsTest {
  static Path vectors(String file) {
    return Corpora.require("vuln/version-vectors/" + file);
  }

  static final List<Map<String, String>> KNOWN;

  static {
    try {
      KNOWN =
          Vectors.read(
              Path.of(
                  VersionVectorsTest.class.getResource("/known-version-differences.tsv").toURI()));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> suites() {
    return Vectors.SUITES.stream()
        .map(x -> org.junit.jupiter.params.provider.Arguments.of(x.ecosystem(), x.file()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @org.junit.jupiter.params.provider.MethodSource("suites")
  void everyRowAgrees(Ecosystem e, String file) throws Exception {
    Vectors.Result r = Vectors.evaluate(e, vectors(file));
    System.out.printf("%s %s: %d/%d%n", e, file, r.agree(), r.rows());
    assertThat(r.bad()).isEmpty();
    assertThat(r.rows()).isPositive();
    // Known differences are written down with their reason; anything else fails, and a listed
    // difference that went away fails too (the list must stay true).
    List<String> known =
        KNOWN.stream()
            .filter(k -> k.get("file").equals(file))
            .map(k -> k.get("a") + " vs " + k.get("b"))
            .toList();
    assertThat(r.disagreements().stream().map(d -> d.a() + " vs " + d.b()).toList())
        .as("listed in known-version-differences.tsv")
        .containsAll(known);
    assertThat(
            r.disagreements().stream()
                .filter(d -> !known.contains(d.a() + " vs " + d.b()))
                .toList())
        .as(
            r.disagreements().stream()
                .limit(30)
                .map(
                    d ->
                        d.line()
                            + ": "
                            + d.a()
                            + " vs "
                            + d.b()
                            + " expected "
                            + d.expected()
                            + " got "
                            + d.actual()
                            + " ("
                            + d.source()
                            + ")")
                .collect(Collectors.joining("\n")))
        .isEmpty();
  }

  @Test
  void apkValidityAndOperatorsAsApkToolsTestsThem() throws Exception {
    for (Map<String, String> row : Vectors.read(vectors("apk_valid.tsv"))) {
      assertThat(Apk.valid(row.get("version")))
          .as(row.get("version"))
          .isEqualTo(Boolean.parseBoolean(row.get("valid")));
    }
    for (Map<String, String> row : Vectors.read(vectors("apk_match_ops.tsv"))) {
      // apk's test data writes "!~" for "~ must not hold" and gives the plain match's value
      String op = row.get("op").replace("!", "");
      assertThat(Apk.matches(row.get("a"), op, row.get("b")))
          .as(row.get("a") + " " + row.get("op") + " " + row.get("b"))
          .isEqualTo(Boolean.parseBoolean(row.get("expected")));
    }
  }

  @Test
  void goCanonicalFormsAndPseudoVersions() throws Exception {
    for (Map<String, String> row : Vectors.read(vectors("go_semver_canonical.tsv"))) {
      assertThat(GoSemver.canonical(row.get("input")))
          .as(row.get("input"))
          .isEqualTo(row.get("canonical_or_empty_if_invalid"));
    }
    for (Map<String, String> row : Vectors.read(vectors("go_pseudo_versions.tsv"))) {
      String p = row.get("pseudo_version");
      assertThat(GoSemver.valid(p)).as(p).isTrue();
      if (!row.get("older_tag").isEmpty()) {
        assertThat(GoSemver.compare(row.get("older_tag"), p)).as(p).isNegative();
      }
    }
  }

  @Test
  void pep440SpecifiersContainAsPackagingSays() throws Exception {
    List<String> wrong = new java.util.ArrayList<>();
    List<Map<String, String>> rows = Vectors.read(vectors("pep440_specifier_contains.tsv"));
    for (Map<String, String> row : rows) {
      dev.rampart.vuln.version.Pep440Specifier s =
          dev.rampart.vuln.version.Pep440Specifier.parse(row.get("specifier"));
      boolean ours = s != null && s.contains(row.get("version"));
      if (ours != Boolean.parseBoolean(row.get("contains"))) {
        wrong.add(row.get("version") + " in " + row.get("specifier") + " -> " + ours);
      }
    }
    assertThat(wrong).as("%d rows", rows.size()).isEmpty();
  }

  @Test
  void pep440SortedListIsStrictlyAscending() throws Exception {
    List<Map<String, String>> rows = Vectors.read(vectors("pep440_sorted.tsv"));
    for (int i = 1; i < rows.size(); i++) {
      String a = rows.get(i - 1).get("version");
      String b = rows.get(i).get("version");
      assertThat(Pep440.compare(a, b)).as(a + " < " + b).isEqualTo(-1);
      assertThat(Pep440.compare(b, a)).as(b + " > " + a).isEqualTo(1);
    }
  }

  @Test
  void unparseableVersionsNeverThrowAndHaveAFixedPlace() {
    for (Ecosystem e : Ecosystem.values()) {
      for (String s : new String[] {"", "-", ":::", "v", "1..2", "\u0000", "x".repeat(10_000)}) {
        int c = e.compare(s, "1.0");
        assertThat(c).as(e + " " + s).isBetween(-1, 1);
        assertThat(e.compare(s, s)).as(e + " " + s).isZero();
      }
    }
    assertThat(Pep440.compare("2.0-SNAPSHOT-x", "0.1")).isEqualTo(-1); // legacy first
    assertThat(GoSemver.compare("bad", "v0.0.1")).isEqualTo(-1);
  }
}
