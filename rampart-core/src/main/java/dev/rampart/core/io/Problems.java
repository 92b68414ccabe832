package dev.rampart.core.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe {@link ProblemSink} that counts every problem and keeps the first {@code keep} of
 * them for the report (a file of a million bad lines must not fill the heap), optionally passing
 * each one on to another sink.
 */
public final class Problems implements ProblemSink {
  private final int keep;
  private final ProblemSink next;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong warnings = new AtomicLong();
  private final List<Problem> kept = new ArrayList<>();

  public Problems(int keep) {
    this(keep, IGNORE);
  }

  public Problems(int keep, ProblemSink next) {
    this.keep = keep;
    this.next = next;
  }

  @Override
  public void report(Problem problem) {
    (problem.isError() ? errors : warnings).incrementAndGet();
    synchronized (kept) {
      if (kept.size() < keep) {
        kept.add(problem);
      }
    }
    next.report(problem);
  }

  public long errors() {
    return errors.get();
  }

  public long warnings() {
    return warnings.get();
  }

  public long total() {
    return errors() + warnings();
  }

  /** The first problems reported, in order. */
  public List<Problem> kept() {
    synchronized (kept) {
      return Collections.unmodifiableList(new ArrayList<>(kept));
    }
  }
}
