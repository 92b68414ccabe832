/**
 * Version orders per ecosystem ({@link dev.rampart.vuln.version.Ecosystem}): dpkg, RPM, apk, Maven,
 * npm semver, PEP 440 and Go, each proven by its vector files under the corpora.
 */
package dev.rampart.vuln.version;
