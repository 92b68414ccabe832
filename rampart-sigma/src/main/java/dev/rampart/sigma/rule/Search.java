package dev.rampart.sigma.rule;

import java.util.List;

/**
 * The value of one search identifier: a map is {@link All} (AND of its items), a list of maps is
 * {@link Any} (OR), and scalars are keyword {@link Item}s.
 */
public sealed interface Search {

  record All(List<Search> children) implements Search {
    public All {
      children = List.copyOf(children);
    }
  }

  record Any(List<Search> children) implements Search {
    public Any {
      children = List.copyOf(children);
    }
  }

  /**
   * One detection item: a field (null for a keyword search over the whole event), its values (OR,
   * or AND with {@code |all}), negated as a whole with {@code |neq}.
   *
   * @param key the key as written, such as {@code CommandLine|contains|all}, for explanations
   */
  record Item(
      String field,
      List<ValueMatcher> values,
      boolean matchAll,
      boolean negated,
      String key,
      Position position)
      implements Search {
    public Item {
      values = List.copyOf(values);
    }

    public boolean isKeyword() {
      return field == null;
    }
  }
}
