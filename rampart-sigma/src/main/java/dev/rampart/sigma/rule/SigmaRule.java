package dev.rampart.sigma.rule;

import java.util.List;
import java.util.Map;

/**
 * A loaded Sigma detection rule, with filters already applied to its condition.
 *
 * @param searches search identifiers in declaration order
 * @param condition the rule's condition; a list of conditions is already OR-ed into one
 * @param custom top-level keys Sigma does not define, preserved
 * @param file the file it came from ({@code archive.zip!path} for archive members)
 */
public record SigmaRule(
    String id,
    String name,
    String title,
    String status,
    Level level,
    List<String> tags,
    Logsource logsource,
    Map<String, Search> searches,
    Condition condition,
    String conditionText,
    List<String> fields,
    String description,
    List<String> falsepositives,
    List<String> references,
    String author,
    String date,
    String modified,
    Map<String, Object> custom,
    String file,
    Position position) {

  public SigmaRule {
    tags = List.copyOf(tags);
    fields = List.copyOf(fields);
    falsepositives = List.copyOf(falsepositives);
    references = List.copyOf(references);
    searches = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(searches));
    custom = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(custom));
  }

  /** A label for messages: the id when present, else the title. */
  public String label() {
    return id != null ? id : title;
  }

  /** ATT&CK technique ids from the tags, such as {@code T1059.001}. */
  public List<String> techniques() {
    return AttackTags.techniques(tags);
  }

  /** ATT&CK tactics from the tags, such as {@code execution}. */
  public List<String> tactics() {
    return tags.stream()
        .filter(t -> t.startsWith("attack.") && !t.matches("attack\\.[tgs]\\d{4}.*"))
        .map(t -> t.substring(7))
        .toList();
  }

  public SigmaRule withCondition(Condition c, Map<String, Search> s, String text) {
    return new SigmaRule(
        id,
        name,
        title,
        status,
        level,
        tags,
        logsource,
        s,
        c,
        text,
        fields,
        description,
        falsepositives,
        references,
        author,
        date,
        modified,
        custom,
        file,
        position);
  }
}
