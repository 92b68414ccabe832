/**
 * A security-event generator written by us: benign background activity of a small organisation with
 * attack scenarios woven in, in the native shapes of Sysmon, the Windows Security and System logs,
 * Linux auth logs and Zeek. Start at {@link dev.rampart.simulate.Simulator}; the scenarios and
 * their ATT&CK techniques are listed by {@link dev.rampart.simulate.Scenario}.
 */
package dev.rampart.simulate;
