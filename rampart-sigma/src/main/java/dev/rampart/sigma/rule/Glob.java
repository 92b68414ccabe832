package dev.rampart.sigma.rule;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma string after wildcard parsing: literal parts, {@code *} (any run, including empty) and
 * {@code ?} (exactly one code point). Matching is always anchored at both ends; leading and
 * trailing {@code *} make it a prefix, suffix or substring test.
 */
public record Glob(List<Part> parts) {

  public sealed interface Part {}

  public record Literal(String text) implements Part {}

  public enum Wildcard implements Part {
    ANY_STRING,
    ANY_CHAR
  }

  public Glob {
    parts = normalize(parts);
  }

  public static Glob literal(String text) {
    return new Glob(List.of(new Literal(text)));
  }

  /** Merges adjacent literals, drops empty ones, and collapses runs of {@code *}. */
  private static List<Part> normalize(List<Part> in) {
    List<Part> out = new ArrayList<>(in.size());
    for (Part p : in) {
      if (p instanceof Literal l) {
        if (l.text().isEmpty()) {
          continue;
        }
        if (!out.isEmpty() && out.get(out.size() - 1) instanceof Literal prev) {
          out.set(out.size() - 1, new Literal(prev.text() + l.text()));
          continue;
        }
      } else if (p == Wildcard.ANY_STRING
          && !out.isEmpty()
          && out.get(out.size() - 1) == Wildcard.ANY_STRING) {
        continue;
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  public boolean hasWildcards() {
    return parts.stream().anyMatch(p -> p instanceof Wildcard);
  }

  public boolean startsWithAny() {
    return !parts.isEmpty() && parts.get(0) == Wildcard.ANY_STRING;
  }

  public boolean endsWithAny() {
    return !parts.isEmpty() && parts.get(parts.size() - 1) == Wildcard.ANY_STRING;
  }

  public Glob prepend(Part p) {
    List<Part> l = new ArrayList<>(parts.size() + 1);
    l.add(p);
    l.addAll(parts);
    return new Glob(l);
  }

  public Glob append(Part p) {
    List<Part> l = new ArrayList<>(parts);
    l.add(p);
    return new Glob(l);
  }

  /** The text of a wildcard-free glob. */
  public String literalText() {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Literal l) {
        sb.append(l.text());
      } else {
        throw new IllegalStateException("glob has wildcards");
      }
    }
    return sb.toString();
  }

  /** Sigma notation: literals with {@code * ? \} escaped, wildcards as {@code *} and {@code ?}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      switch (p) {
        case Literal l -> {
          for (int i = 0; i < l.text().length(); i++) {
            char c = l.text().charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
              sb.append('\\');
            }
            sb.append(c);
          }
        }
        case Wildcard w -> sb.append(w == Wildcard.ANY_STRING ? '*' : '?');
      }
    }
    return sb.toString();
  }
}
