package dev.rampart.sigma.correlate;

/** Sigma timespans: a positive number and s, m, h, d (and pySigma's w, M, y). */
final class Timespan {
  private Timespan() {}

  static long nanos(String s) {
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    long seconds =
        switch (s.charAt(s.length() - 1)) {
          case 's' -> n;
          case 'm' -> n * 60;
          case 'h' -> n * 3600;
          case 'd' -> n * 86_400;
          case 'w' -> n * 604_800;
          case 'M' -> n * 2_629_746;
          case 'y' -> n * 31_556_952;
          default -> throw new IllegalArgumentException("timespan " + s);
        };
    return seconds * 1_000_000_000L;
  }
}
