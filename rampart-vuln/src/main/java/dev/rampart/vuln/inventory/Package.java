package dev.rampart.vuln.inventory;

import dev.rampart.vuln.version.Ecosystem;

/**
 * One installed package: its name and version as installed, its ecosystem, its purl, and for
 * distribution packages the source package it was built from (advisories name source packages:
 * {@code libssl1.1} comes from {@code openssl}) and the distribution release ({@code debian-9}).
 *
 * @param sourceName the source package; the package's own name when it has no other
 * @param sourceVersion the source package's version; the package's when the same
 * @param distro {@code debian-9}, {@code alpine-3.17}, ... or null for language packages
 */
public record Package(
    String name,
    String version,
    Ecosystem ecosystem,
    String purl,
    String sourceName,
    String sourceVersion,
    String distro) {}
