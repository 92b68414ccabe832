/**
 * Log forwarding on the agent: the systemd journal ({@link dev.rampart.agent.logs.JournalInput});
 * files go through the ingestion module's tailer.
 */
package dev.rampart.agent.logs;
