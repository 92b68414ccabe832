/**
 * ATT&CK coverage of a rule set: which techniques its rules carry, by tactic. Entry point: {@link
 * dev.rampart.sigma.coverage.AttackCoverage#of}.
 */
package dev.rampart.sigma.coverage;
