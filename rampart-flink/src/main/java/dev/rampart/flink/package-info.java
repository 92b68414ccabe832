/**
 * Detection on Apache Flink (issue 12): {@link dev.rampart.flink.DetectionJob}, the entry point,
 * builds the job; {@link dev.rampart.flink.Detect} is the per-event step of the single-node
 * detector.
 */
package dev.rampart.flink;
