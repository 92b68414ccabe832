/**
 * Streaming detection: events from the spool pass through the Sigma engine as they arrive, and each
 * match becomes an {@link dev.rampart.alerting.alert.Alert} in the durable alert log. Entry point:
 * {@link dev.rampart.alerting.detect.StreamingDetector}.
 *
 * <p>Packages: {@code alert} (the alert record, its entities, how one is built from a rule and an
 * event, the alert log) and {@code detect} (the spool consumer).
 */
package dev.rampart.alerting;
