/** Time values in configuration: {@link dev.rampart.core.time.Durations}. */
package dev.rampart.core.time;
