/** VEX documents (OpenVEX, CycloneDX VEX): {@link dev.rampart.vuln.vex.Vex}. */
package dev.rampart.vuln.vex;
