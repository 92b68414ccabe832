/**
 * Sigma correlation rules on event time: sliding windows, groups, aliases, chaining, bounded state.
 * Entry point: {@link dev.rampart.sigma.correlate.Correlator}.
 */
package dev.rampart.sigma.correlate;
