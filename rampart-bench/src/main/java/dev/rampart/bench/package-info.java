/**
 * Benchmarks. The workloads here ({@link dev.rampart.bench.ParseBench}) back both the {@code
 * rampart bench} commands and the JMH benchmarks in {@code jmh}; run the latter with {@code java
 * -jar rampart-bench/target/benchmarks.jar}.
 */
package dev.rampart.bench;
