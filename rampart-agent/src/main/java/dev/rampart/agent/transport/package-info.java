/** How the agent reaches the server: enrolment, mutual TLS, batches and heartbeats. */
package dev.rampart.agent.transport;
