/**
 * Cases: what happens to alerts and incidents. Alerts pass {@link dev.rampart.cases.triage.Triage}
 * (exceptions, suppression, severity overrides, grouping) into incidents with an owner, a priority
 * and SLA, a lifecycle, comments, tags, evidence, merges and a timeline, kept in SQLite (a file in
 * the data folder) or PostgreSQL through one code path and Flyway migrations, with an audit trail.
 * Entry point: {@link dev.rampart.cases.CaseStore}.
 */
package dev.rampart.cases;
