package dev.rampart.vuln.match;

import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.priority.Priority;

/**
 * A package affected by an advisory, with why: the version compared (for distribution packages the
 * source package's), the range or fixed version that holds it, and the data source.
 *
 * @param fixedVersion the first version without the flaw; null when there is no fix yet
 * @param priority the CVSS score and severity, and the KEV entry when exploited in the wild
 */
public record Finding(
    String asset,
    Package pkg,
    Advisory advisory,
    String comparedName,
    String comparedVersion,
    String fixedVersion,
    String explanation,
    Priority priority) {}
