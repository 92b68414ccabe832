package dev.rampart.vuln.advisory;

import dev.rampart.vuln.version.Ecosystem;
import java.util.List;

/**
 * A security advisory: which packages (per ecosystem and, for distributions, per release) are
 * affected in which versions, and where the data came from.
 *
 * @param id the advisory's own id (DSA-5380-1, GHSA-..., CVE-... for OSV records named so)
 * @param aliases other ids (CVEs)
 * @param source the feed it came from ({@code debian-tracker}, {@code osv}, ...)
 * @param cvss the CVSS vectors the feed gives (any version; none for feeds without scores)
 */
public record Advisory(
    String id,
    List<String> aliases,
    String summary,
    String published,
    String source,
    List<Affected> affected,
    List<String> cvss) {

  /**
   * The affected versions of one package: below a fixed version in {@code ranges}, or listed in
   * {@code versions}.
   *
   * @param release the distribution release ({@code stretch}, {@code v3.11}); null for language
   *     ecosystems
   */
  public record Affected(
      Ecosystem ecosystem,
      String release,
      String packageName,
      List<Range> ranges,
      List<String> versions) {}

  /** How one range of affected versions is stated. */
  public sealed interface Range {}

  /**
   * OSV's events in one range: affected from {@code introduced} ("0": from the start) up to but not
   * including {@code fixed}, or up to and including {@code lastAffected}; neither: no fix yet.
   */
  public record Events(String introduced, String fixed, String lastAffected) implements Range {}

  /**
   * A range in the ecosystem's own syntax, as advisories outside OSV state it: for npm a
   * node-semver range ({@code <=0.7.0 || >=1.0.0 <1.0.3}), with the patched versions likewise.
   */
  public record Expression(String affected, String patched) implements Range {}
}
