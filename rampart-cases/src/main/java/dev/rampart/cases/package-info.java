/**
 * Cases: incidents made of alerts, with an owner, a priority and a lifecycle, comments and a
 * timeline, in SQLite (a file in the data folder) or PostgreSQL through one code path and Flyway
 * migrations. Entry point: {@link dev.rampart.cases.CaseStore}.
 */
package dev.rampart.cases;
