package dev.rampart.server.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.cases.report.CaseReport;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a {@link SocReport} is written: Markdown (a ticket, a chat message, the body of the scheduled
 * e-mail), a self-contained HTML page with the chart, or JSON for scripts.
 */
public enum ReportFormat {
  MARKDOWN("md", "text/markdown; charset=utf-8"),
  HTML("html", "text/html; charset=utf-8"),
  JSON("json", "application/json");

  private static final ObjectMapper JSON_MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final TemplateEngine TEMPLATES =
      TemplateEngine.createPrecompiled(ContentType.Html);

  private final String extension;
  private final String mediaType;

  ReportFormat(String extension, String mediaType) {
    this.extension = extension;
    this.mediaType = mediaType;
  }

  public String extension() {
    return extension;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The format named {@code md}, {@code markdown}, {@code html} or {@code json}; null if none. */
  public static ReportFormat parse(String s) {
    return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
      case "md", "markdown" -> MARKDOWN;
      case "html" -> HTML;
      case "json" -> JSON;
      default -> null;
    };
  }

  /** Writes the SOC report. */
  public String render(SocReport r) {
    return render(r, "report_doc.jte", () -> markdown(r));
  }

  /** Writes an incident's write-up. */
  public String render(IncidentReport r) {
    return render(r, "incident_report_doc.jte", () -> markdown(r));
  }

  private String render(Object model, String template, java.util.function.Supplier<String> md) {
    return switch (this) {
      case MARKDOWN -> md.get();
      case HTML -> {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template, model, out);
        yield out.toString();
      }
      case JSON -> {
        try {
          yield JSON_MAPPER.writeValueAsString(model) + "\n";
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static String markdown(IncidentReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Incident: ").append(cell(r.incident().title())).append("\n\n");
    for (String note : r.notes()) {
      sb.append("> ").append(note).append("\n\n");
    }
    sb.append("| | |\n|---|---|\n");
    for (Map.Entry<String, String> f : r.facts()) {
      sb.append("| ").append(f.getKey()).append(" | ").append(cell(f.getValue())).append(" |\n");
    }
    sb.append("\n## Alerts (").append(r.alerts().size()).append(")\n\n");
    sb.append("| Event time | Detected | Level | Rule | Techniques | Events |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (IncidentReport.AlertLine a : r.alerts()) {
      sb.append("| ")
          .append(IncidentReport.time(a.eventTime()))
          .append(" | ")
          .append(IncidentReport.time(a.detectedAt()))
          .append(" | ")
          .append(a.level())
          .append(" | ")
          .append(cell(a.title()))
          .append(" (")
          .append(cell(a.ruleId()))
          .append(") | ")
          .append(String.join(", ", a.techniques()))
          .append(" | ")
          .append(
              a.eventIds().stream()
                  .map(String::valueOf)
                  .collect(java.util.stream.Collectors.joining(", ")))
          .append(" |\n");
    }
    sb.append("\n## Notes\n\n");
    if (r.comments().isEmpty()) {
      sb.append("None.\n");
    }
    for (var c : r.comments()) {
      sb.append("**")
          .append(cell(c.author()))
          .append("**, ")
          .append(IncidentReport.time(c.at()))
          .append(":\n\n")
          .append(c.markdown().strip())
          .append("\n\n");
    }
    sb.append("\n## Timeline\n\n| Time | Who | What | Detail |\n|---|---|---|---|\n");
    for (var e : r.timeline()) {
      sb.append("| ")
          .append(IncidentReport.time(e.at()))
          .append(" | ")
          .append(cell(e.actor()))
          .append(" | ")
          .append(e.kind())
          .append(" | ")
          .append(cell(e.detail()))
          .append(" |\n");
    }
    sb.append("\n## Events (").append(r.events().size()).append(")\n");
    Map<Long, dev.rampart.cases.CaseStore.Evidence> linked = new java.util.HashMap<>();
    r.evidence().forEach(e -> linked.put(e.eventId(), e));
    for (Map<String, Object> event : r.events()) {
      sb.append("\n### ").append(cell(IncidentReport.heading(event))).append("\n\n");
      Object id = event.get("_id");
      var why = id instanceof Number n ? linked.get(n.longValue()) : null;
      if (why != null) {
        sb.append("Linked as evidence by ")
            .append(cell(why.addedBy()))
            .append(", ")
            .append(IncidentReport.time(why.addedAt()))
            .append(why.note() == null || why.note().isBlank() ? "" : ": " + why.note().strip())
            .append("\n\n");
      }
      sb.append("```json\n").append(pretty(event)).append("\n```\n");
    }
    return sb.toString();
  }

  private static String pretty(Map<String, Object> event) {
    // a fence inside a value must not end the block early
    return json(event).replace("```", "`\u200b``");
  }

  /** A stored event as indented JSON, for the reports' event sections. */
  public static String json(Map<String, Object> event) {
    try {
      return JSON_MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String markdown(SocReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# SOC report: ").append(r.periodLabel()).append("\n\n");
    sb.append("Generated ").append(r.generated()).append(" for ").append(r.scope());
    sb.append(". Compared with the ").append(r.length()).append(" before.\n\n");
    for (String note : r.notes()) {
      sb.append("> ").append(note).append("\n\n");
    }

    sb.append("## Summary\n\n");
    sb.append("| | This period | Previous | Change |\n|---|---:|---:|---:|\n");
    for (SocReport.Row row : r.summary()) {
      sb.append("| ")
          .append(row.label())
          .append(" | ")
          .append(row.now())
          .append(" | ")
          .append(row.before())
          .append(" | ")
          .append(row.change())
          .append(" |\n");
    }

    CaseReport c = r.current();
    sb.append("\n## Alerts per day\n\n| Day |");
    for (String level : CaseReport.LEVELS) {
      sb.append(' ').append(level).append(" |");
    }
    sb.append(" Total |").append(r.events() == null ? "" : " Events |").append("\n|---|");
    sb.append("---:|".repeat(CaseReport.LEVELS.size() + (r.events() == null ? 1 : 2)));
    sb.append('\n');
    for (CaseReport.Day d : c.perDay()) {
      sb.append("| ").append(d.day()).append(" |");
      for (String level : CaseReport.LEVELS) {
        sb.append(' ').append(d.byLevel().getOrDefault(level, 0L)).append(" |");
      }
      sb.append(' ').append(d.total()).append(" |");
      if (r.events() != null) {
        sb.append(' ').append(r.eventsOn(d.day())).append(" |");
      }
      sb.append('\n');
    }

    counts(sb, "Rules with the most alerts", "Rule", c.topRules());
    counts(sb, "Hosts with the most alerts", "Host", c.topHosts());
    counts(sb, "ATT&CK techniques", "Technique", c.topTechniques());

    sb.append("\n## How rules' alerts ended\n\n");
    if (c.ruleOutcomes().isEmpty()) {
      sb.append("No incident was closed in this period.\n");
    } else {
      sb.append("Alerts in incidents closed in this period; most false positives first.\n\n");
      sb.append("| Rule | Alerts | True positives | False positives |\n|---|---:|---:|---:|\n");
      for (CaseReport.RuleOutcome o : c.ruleOutcomes()) {
        sb.append("| ")
            .append(cell(o.title()))
            .append(" | ")
            .append(o.alerts())
            .append(" | ")
            .append(o.truePositives())
            .append(" | ")
            .append(o.falsePositives())
            .append(" |\n");
      }
    }

    sb.append("\n## Open incidents at the end, by priority\n\n");
    priorities(sb, c.incidents().openAtEndByPriority());

    if (r.vulns() != null) {
      sb.append("\n## Vulnerability findings open at the end, by severity\n\n");
      sb.append("| Severity | Open |\n|---|---:|\n");
      for (Map.Entry<String, Integer> e : r.vulns().openAtEndBySeverity().entrySet()) {
        sb.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
      }
      sb.append("\nMean time to remediate the findings fixed in this period: ")
          .append(
              r.vulns().mttrDays() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f days", r.vulns().mttrDays()))
          .append(".\n");
    }
    return sb.toString();
  }

  private static void counts(
      StringBuilder sb, String title, String what, List<CaseReport.Count> rows) {
    sb.append("\n## ").append(title).append("\n\n");
    if (rows.isEmpty()) {
      sb.append("None.\n");
      return;
    }
    sb.append("| ").append(what).append(" | Alerts |\n|---|---:|\n");
    for (CaseReport.Count row : rows) {
      sb.append("| ").append(cell(row.name())).append(" | ").append(row.count()).append(" |\n");
    }
  }

  private static void priorities(StringBuilder sb, Map<String, Long> byPriority) {
    sb.append("| Priority | Open |\n|---|---:|\n");
    for (Map.Entry<String, Long> e : byPriority.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
    }
  }

  /** A table cell: pipes escaped and line breaks flattened, so a rule title cannot break it. */
  static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }
}
