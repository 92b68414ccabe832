/** The agent's write-ahead log: {@link dev.rampart.agent.wal.AgentWal}. */
package dev.rampart.agent.wal;
