package dev.rampart.sigma.rule;

import java.math.BigDecimal;
import java.util.List;

/**
 * What one value of a detection item tests, after its modifiers have been applied. A closed set:
 * the reference interpreter and the compiler switch over it exhaustively.
 */
public sealed interface ValueMatcher {

  /** A wildcard string, case-insensitive (Unicode simple folding) unless {@code cased}. */
  record StringMatch(Glob glob, boolean cased) implements ValueMatcher {}

  /** An expansion (windash, base64offset, placeholders): any alternative matches. */
  record AnyOf(List<ValueMatcher> alternatives) implements ValueMatcher {
    public AnyOf {
      alternatives = List.copyOf(alternatives);
    }
  }

  /** Where a regex must match: anywhere (Sigma's substring search), at the start or at the end. */
  enum Anchor {
    NONE,
    START,
    END
  }

  /** A regular expression searched anywhere in the value. */
  record RegexMatch(
      String pattern, boolean ignoreCase, boolean multiline, boolean dotAll, Anchor anchor)
      implements ValueMatcher {}

  /** A number: numeric equality, or a string value that reads as the same number. */
  record NumberMatch(BigDecimal value) implements ValueMatcher {}

  record BoolMatch(boolean value) implements ValueMatcher {}

  /** {@code null}: the field is absent or JSON null (or an empty list). */
  record NullMatch() implements ValueMatcher {}

  /** {@code |exists}: the field is present (true) or absent (false), whatever its value. */
  record ExistsMatch(boolean exists) implements ValueMatcher {}

  enum CompareOp {
    LT,
    LTE,
    GT,
    GTE
  }

  /** Parts of a timestamp for the time modifiers; weeks are ISO-8601 weeks. */
  enum TimePart {
    MINUTE,
    HOUR,
    DAY,
    WEEK,
    MONTH,
    YEAR
  }

  /** {@code |lt} and friends; with a time part, the extracted part is compared. */
  record CompareMatch(CompareOp op, BigDecimal value, TimePart part) implements ValueMatcher {}

  /** {@code |hour: 3}: the timestamp's part equals the value. */
  record TimePartMatch(TimePart part, long value) implements ValueMatcher {}

  /** {@code |cidr}: the value is an IP address inside the network. */
  record CidrMatch(Cidr network) implements ValueMatcher {}

  enum RefMode {
    EQUALS,
    STARTS_WITH,
    ENDS_WITH,
    CONTAINS
  }

  /** {@code |fieldref}: compared with another field of the same event (case-insensitive). */
  record FieldRefMatch(String field, RefMode mode) implements ValueMatcher {}
}
