package dev.rampart.sigma.rule;

import java.util.List;

/** A rule condition after parsing, with selectors ({@code 1 of sel*}) expanded. */
public sealed interface Condition {

  record And(List<Condition> children) implements Condition {
    public And {
      children = List.copyOf(children);
    }
  }

  record Or(List<Condition> children) implements Condition {
    public Or {
      children = List.copyOf(children);
    }
  }

  record Not(Condition child) implements Condition {}

  /** A reference to a search identifier of the rule. */
  record Ref(String name) implements Condition {}
}
