package dev.rampart.core.io;

/** Receives the problems a reader finds. Implementations decide whether to print, count or stop. */
@FunctionalInterface
public interface ProblemSink {
  void report(Problem problem);

  /** A sink that drops everything (for callers that only count via the reader). */
  ProblemSink IGNORE = p -> {};
}
