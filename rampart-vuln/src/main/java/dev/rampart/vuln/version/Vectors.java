package dev.rampart.vuln.version;

import dev.rampart.core.io.InputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Version vector files: TSV with a header row ({@code a b cmp [source]}), fields with backslash
 * escapes, optionally gzipped. {@link #evaluate} runs an ecosystem's order over every row and
 * reports where it disagrees.
 */
public final class Vectors {
  private Vectors() {}

  /** A comparison vector file of the corpora and the order it tests. */
  public record Suite(Ecosystem ecosystem, String file) {}

  /**
   * Every comparison vector file (rows {@code a b cmp}) under {@code vuln/version-vectors} for the
   * ecosystems Rampart matches: the test suite and {@code rampart bench vuln} run these.
   */
  public static final List<Suite> SUITES =
      List.of(
          new Suite(Ecosystem.DEBIAN, "dpkg_compare.tsv"),
          new Suite(Ecosystem.DEBIAN, "osv_debian-versions.tsv"),
          new Suite(Ecosystem.DEBIAN, "osv_debian-versions-generated.tsv.gz"),
          new Suite(Ecosystem.RPM, "rpm_compare.tsv"),
          new Suite(Ecosystem.RPM, "rpm_compare_documented_oddities.tsv"),
          new Suite(Ecosystem.RPM, "osv_redhat-versions.tsv"),
          new Suite(Ecosystem.ALPINE, "apk_compare.tsv"),
          new Suite(Ecosystem.ALPINE, "osv_alpine-versions.tsv"),
          new Suite(Ecosystem.ALPINE, "osv_alpine-versions-generated.tsv.gz"),
          new Suite(Ecosystem.PYPI, "osv_pypi-versions.tsv"),
          new Suite(Ecosystem.PYPI, "osv_pypi-versions-generated.tsv.gz"),
          new Suite(Ecosystem.PYPI, "pep440_compare_pairs.tsv.gz"),
          new Suite(Ecosystem.GO, "go_semver_compare.tsv"),
          new Suite(Ecosystem.NPM, "npm_semver_compare.tsv"),
          new Suite(Ecosystem.NPM, "osv_semver-versions.tsv"),
          new Suite(Ecosystem.MAVEN, "maven_compare.tsv"),
          new Suite(Ecosystem.MAVEN, "osv_maven-versions.tsv"),
          new Suite(Ecosystem.MAVEN, "osv_maven-versions-generated.tsv.gz"),
          new Suite(Ecosystem.PACKAGIST, "osv_packagist-versions.tsv"),
          new Suite(Ecosystem.PACKAGIST, "osv_packagist-versions-generated.tsv.gz"),
          new Suite(Ecosystem.RUBYGEMS, "osv_rubygems-versions.tsv"),
          new Suite(Ecosystem.RUBYGEMS, "osv_rubygems-versions-generated.tsv"),
          new Suite(Ecosystem.NUGET, "osv_nuget-versions.tsv"),
          new Suite(Ecosystem.PUB, "osv_pub-versions.tsv"),
          new Suite(Ecosystem.CRAN, "osv_cran-versions.tsv"),
          new Suite(Ecosystem.CRAN, "osv_cran-versions-generated.tsv"),
          new Suite(Ecosystem.HACKAGE, "osv_hackage-versions.tsv"));

  /** A row that disagreed: its line, the versions, what the file expects and what we said. */
  public record Disagreement(
      long line, String a, String b, int expected, int actual, String source) {}

  /** The outcome over a file. */
  public record Result(long rows, long agree, List<Disagreement> disagreements, List<String> bad) {
    public double agreement() {
      return rows == 0 ? 1 : (double) agree / rows;
    }
  }

  /** The rows of a TSV vector file, each a map from header name to (unescaped) field. */
  public static List<Map<String, String>> read(Path file) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(InputFiles.open(file), StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (header == null) {
        return rows;
      }
      String[] names = header.split("\t", -1);
      String line;
      long n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        Map<String, String> row = new LinkedHashMap<>();
        row.put("#line", Long.toString(n));
        for (int i = 0; i < names.length; i++) {
          row.put(names[i], i < f.length ? unescape(f[i]) : "");
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char d = s.charAt(++i);
        b.append(
            switch (d) {
              case 't' -> '\t';
              case 'n' -> '\n';
              case 'r' -> '\r';
              default -> d;
            });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Compares {@code a} with {@code b} in every row of a file with columns {@code a}, {@code b},
   * {@code cmp} (-1, 0, 1). Rows whose {@code cmp} is not a number are listed in {@code bad} and
   * not counted.
   */
  public static Result evaluate(Ecosystem e, Path file) throws IOException {
    long rows = 0;
    long agree = 0;
    List<Disagreement> out = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (Map<String, String> row : read(file)) {
      String a = row.get("a");
      String b = row.get("b");
      int expected;
      try {
        expected = Integer.parseInt(row.getOrDefault("cmp", "").strip());
      } catch (NumberFormatException ex) {
        bad.add(file + ":" + row.get("#line") + ": cmp is not -1, 0 or 1");
        continue;
      }
      if (a == null || b == null) {
        bad.add(file + ":" + row.get("#line") + ": needs columns a and b");
        continue;
      }
      rows++;
      int actual = e.compare(a, b);
      if (Integer.signum(actual) == Integer.signum(expected)) {
        agree++;
      } else {
        out.add(
            new Disagreement(
                Long.parseLong(row.get("#line")),
                a,
                b,
                expected,
                actual,
                row.getOrDefault("source", "")));
      }
    }
    return new Result(rows, agree, out, bad);
  }
}
