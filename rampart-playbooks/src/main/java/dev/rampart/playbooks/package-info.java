/**
 * Response playbooks: YAML files that say what to do when an alert reaches an incident or an
 * incident is created or changes — e-mail, signed webhooks, Slack and Teams messages, blocklist
 * entries, local commands (off unless enabled). Every run and step result is recorded in the case
 * database; a failing step never blocks detection. Entry point: {@link
 * dev.rampart.playbooks.run.PlaybookRunner}; the format is in docs/playbooks.md.
 */
package dev.rampart.playbooks;
