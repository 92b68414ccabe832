package dev.rampart.ingest.parse;

import java.util.List;

/**
 * Groups the lines of a stream into messages for formats whose events span lines that may
 * interleave (auditd's records, joined by serial). A parser that needs one says so in {@link
 * Parser#joiner()}; readers of files ({@code rampart parse}, {@code rampart ingest}, the file tail)
 * pass every line through a fresh joiner per file and parse what it completes. One per stream.
 */
public interface RecordJoiner {
  /** A complete message and the 1-based line where it starts. */
  record Joined(String text, long line) {}

  /** Takes the next line; returns the messages it completed (often none), oldest first. */
  List<Joined> accept(String line);

  /** Every message still open (at the end of the input), oldest first. */
  List<Joined> flush();

  /**
   * Whether a message is open (lines taken that no returned message holds yet): a follower of a
   * growing file may only checkpoint where none is.
   */
  default boolean holding() {
    return false;
  }
}
