package dev.rampart.sigma.compile;

import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.rule.ValueMatcher;

/**
 * The compiled form of every rule that applies to one combination of bindings: deduplicated
 * predicates, per-field indexes (exact values and one Aho-Corasick automaton over all needles of
 * the field), a keyword automaton over every text of the event, and each rule's condition as a
 * small tree over predicate ids. Immutable and shared by all threads; per-event state lives in
 * {@link SigmaMatcher}.
 */
final class Route {
  /** How a predicate is computed. */
  enum Kind {
    /** Whole value equals a text (folded). */
    EXACT_TEXT,
    /** Value is the number (or text reading as it). */
    EXACT_NUMBER,
    /** Present with a text value (the glob {@code *}). */
    ANY_TEXT,
    /** A needle found anywhere. */
    CONTAINS,
    PREFIX,
    SUFFIX,
    /** A wildcard pattern, checked when its anchor needle is found. */
    GLOB,
    /** Keyword needle anywhere in any text of the event. */
    KEYWORD_CONTAINS,
    KEYWORD_GLOB,
    /** Everything else, computed on demand with the reference semantics (or RE2/J). */
    LAZY,
    LAZY_KEYWORD,
    REGEX,
    /** A regex run only on values that contain its required literal (found by the automaton). */
    REGEX_ANCHORED
  }

  /** One predicate: what it tests and which rules it can make true. */
  static final class Pred {
    final int id;
    final Kind kind;
    final String sigmaField; // null for keywords
    final ValueMatcher matcher;
    final GlobMatcher glob; // GLOB, KEYWORD_GLOB
    final RegexPredicate regex; // REGEX
    final Binding mapping; // how lazy predicates read their field (identity for event fields)
    int anchors = 1; // REGEX_ANCHORED: how many required literals must all be seen in a value
    int[] triggers = new int[0]; // route-local rule indices
    boolean forced; // a lazy predicate chosen as a trigger: evaluated for every event

    Pred(
        int id,
        Kind kind,
        String sigmaField,
        ValueMatcher matcher,
        GlobMatcher glob,
        RegexPredicate regex,
        Binding mapping) {
      this.id = id;
      this.kind = kind;
      this.sigmaField = sigmaField;
      this.matcher = matcher;
      this.glob = glob;
      this.regex = regex;
      this.mapping = mapping;
    }

    boolean eager() {
      return kind != Kind.LAZY && kind != Kind.LAZY_KEYWORD && kind != Kind.REGEX;
    }
  }

  /** Everything to do with the values of one event field. */
  static final class FieldPlan {
    final String sigmaField;
    FoldedMap exact; // EXACT_TEXT and EXACT_NUMBER keys (canonical text)
    LongMap numbers; // EXACT_NUMBER by long value
    LongMap integerTexts; // EXACT_TEXT whose key is a canonical integer ("4624")
    FoldedMap numberTexts; // EXACT_NUMBER by canonical text, for numeric strings like "4624.0"
    AhoCorasick ac;
    int[][] needlePreds; // needle -> predicate ids
    int[][] needleBits; // needle -> per predicate, which required literal it is (anchored regexes)
    int[] anyText = new int[0];
    boolean needsText; // some predicate reads the text of non-string values
    int index; // position in Route.plans
    int[] listPrefixIds = new int[0]; // ids of dotted prefixes that may be lists of objects

    FieldPlan(String sigmaField) {
      this.sigmaField = sigmaField;
    }
  }

  /** A rule's condition over predicates. */
  sealed interface Node {
    record Leaf(int pred) implements Node {}

    record And(Node[] children) implements Node {}

    record Or(Node[] children) implements Node {}

    record Not(Node child) implements Node {}

    record Const(boolean value) implements Node {}
  }

  final String name;
  final Pred[] preds;
  final int[] ruleIds; // route-local -> engine rule index
  final Node[] programs; // route-local rule -> condition
  final int[] always; // route-local rules without a trigger
  final int[] forced; // lazy predicates evaluated for every event
  final FieldPlan[] plansByFieldId; // event field id -> plan (sparse)
  final FieldPlan[] plans; // every plan once
  final FieldPlan[] nestedPlans; // plans whose dotted field may be reached through lists
  final AhoCorasick keywordAc;
  final int[][] keywordNeedlePreds;
  final boolean hasKeywords;

  Route(
      String name,
      Pred[] preds,
      int[] ruleIds,
      Node[] programs,
      int[] always,
      int[] forced,
      FieldPlan[] plansByFieldId,
      FieldPlan[] plans,
      FieldPlan[] nestedPlans,
      AhoCorasick keywordAc,
      int[][] keywordNeedlePreds,
      boolean hasKeywords) {
    this.name = name;
    this.preds = preds;
    this.ruleIds = ruleIds;
    this.programs = programs;
    this.always = always;
    this.forced = forced;
    this.plansByFieldId = plansByFieldId;
    this.plans = plans;
    this.nestedPlans = nestedPlans;
    this.keywordAc = keywordAc;
    this.keywordNeedlePreds = keywordNeedlePreds;
    this.hasKeywords = hasKeywords;
  }
}
