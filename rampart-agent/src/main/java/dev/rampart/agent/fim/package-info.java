/**
 * File integrity monitoring: {@link dev.rampart.agent.fim.Fim} (scan, compare) and {@link
 * dev.rampart.agent.fim.FimDb} (the baseline database).
 */
package dev.rampart.agent.fim;
