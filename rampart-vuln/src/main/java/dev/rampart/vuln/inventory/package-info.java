/**
 * What assets run: SBOMs ({@link dev.rampart.vuln.inventory.Sboms}: CycloneDX, SPDX) and package
 * databases ({@link dev.rampart.vuln.inventory.DpkgStatus}), each package identified by purl with
 * its source package kept.
 */
package dev.rampart.vuln.inventory;
