/**
 * The host agent. So far: file integrity monitoring in its offline form ({@code rampart agent fim
 * init|check}), entry point {@link dev.rampart.agent.fim.Fim}. Enrolment, transport, the
 * write-ahead log, real-time watching, log forwarding, inventory, configuration checks and active
 * response are still to come.
 */
package dev.rampart.agent;
