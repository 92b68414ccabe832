/**
 * Rampart on Kafka (issue 12, first part): the spool's events onto a topic ({@link
 * dev.rampart.kafka.KafkaEventSink}, the entry point), alerts from a topic into triage ({@link
 * dev.rampart.kafka.KafkaAlertSource}), the rules in force on a compacted topic ({@link
 * dev.rampart.kafka.RulePublisher}).
 */
package dev.rampart.kafka;
