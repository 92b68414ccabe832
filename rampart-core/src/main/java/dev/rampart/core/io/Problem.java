package dev.rampart.core.io;

/**
 * One problem found in input: where it is and what is wrong. Readers collect problems rather than
 * throwing at the first one; {@link Severity#ERROR} means the record was skipped, {@link
 * Severity#WARNING} means it was kept with the noted change.
 *
 * @param source the file or input name
 * @param line 1-based line of the problem, or 0 when the input has no lines
 * @param byteOffset 0-based byte offset of the problem in the (decompressed) input, or -1
 */
public record Problem(
    Severity severity, String source, long line, long byteOffset, String message) {

  public enum Severity {
    WARNING,
    ERROR
  }

  public static Problem error(String source, long line, long byteOffset, String message) {
    return new Problem(Severity.ERROR, source, line, byteOffset, message);
  }

  public static Problem warning(String source, long line, long byteOffset, String message) {
    return new Problem(Severity.WARNING, source, line, byteOffset, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * {@code file:line: byte N: error: message}, the form compilers use, so editors can jump to it.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line);
    }
    if (byteOffset >= 0) {
      sb.append(": byte ").append(byteOffset);
    }
    return sb.append(": ")
        .append(severity == Severity.ERROR ? "error" : "warning")
        .append(": ")
        .append(message)
        .toString();
  }
}
