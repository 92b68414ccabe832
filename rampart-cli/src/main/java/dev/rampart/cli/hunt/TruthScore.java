package dev.rampart.cli.hunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A hunt scored against the simulator's ground truth: which attack instances each kind of detection
 * (rules, correlations, anomalies) found, and how many of its findings fell on benign events.
 */
final class TruthScore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] KINDS = {"rules", "correlations", "anomalies"};

  // event id -> "scenario#instance"
  private final Map<String, String> instanceOf;
  private final Map<String, Set<String>> instances = new TreeMap<>();

  private TruthScore(Map<String, String> instanceOf) {
    this.instanceOf = instanceOf;
    instanceOf
        .values()
        .forEach(i -> instances.computeIfAbsent(scenario(i), k -> new TreeSet<>()).add(i));
  }

  private static String scenario(String instance) {
    return instance.substring(0, instance.lastIndexOf('#'));
  }

  /** Reads a truth file ({@code rampart simulate --truth}); a bad line is a usage error. */
  static TruthScore read(Path file) throws IOException {
    Map<String, String> m = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode o = JSON.readTree(line);
          String id = o.path("event.id").asText(null);
          String scenario = o.path("scenario").asText(null);
          if (id == null || scenario == null) {
            throw new IOException("needs event.id and scenario");
          }
          m.put(id, scenario + "#" + o.path("instance").asInt(1));
        } catch (IOException e) {
          throw new UsageException(
              "--truth "
                  + file
                  + ":"
                  + n
                  + ": not a line of 'rampart simulate --truth' ("
                  + e.getMessage()
                  + ")");
        }
      }
    }
    return new TruthScore(m);
  }

  /** The outcome: per kind, the instances it detected and its findings on benign events. */
  record Result(
      TruthScore truth,
      Map<String, Set<String>> detected,
      Map<String, Long> falsePositives,
      Map<String, Long> anomalyFalsePositivesByLevel,
      long benignEvents) {
    void print(PrintStream out) {
      out.printf(
          "%nDETECTION AGAINST GROUND TRUTH%n%-22s  %9s  %8s  %8s  %12s  %9s%n",
          "SCENARIO", "INSTANCES", "DETECTED", "BY RULES", "CORRELATIONS", "ANOMALIES");
      int total = 0;
      int found = 0;
      StringBuilder missed = new StringBuilder();
      for (var e : truth.instances.entrySet()) {
        Set<String> all = e.getValue();
        int any = 0;
        int[] by = new int[KINDS.length];
        for (String i : all) {
          boolean hit = false;
          for (int k = 0; k < KINDS.length; k++) {
            if (detected.get(KINDS[k]).contains(i)) {
              by[k]++;
              hit = true;
            }
          }
          if (hit) {
            any++;
          } else {
            missed.append(missed.isEmpty() ? "" : ", ").append(i);
          }
        }
        total += all.size();
        found += any;
        out.printf(
            "%-22s  %9d  %8d  %8d  %12d  %9d%n", e.getKey(), all.size(), any, by[0], by[1], by[2]);
      }
      out.printf(
          Locale.ROOT,
          "%d of %d attack instances detected; missed: %s%n",
          found,
          total,
          missed.isEmpty() ? "none" : missed);
      out.printf(
          Locale.ROOT,
          "false positives on %,d benign events: rules %,d, correlations %,d, anomalies %,d%s%n",
          benignEvents,
          falsePositives.get("rules"),
          falsePositives.get("correlations"),
          falsePositives.get("anomalies"),
          anomalyFalsePositivesByLevel.isEmpty()
              ? ""
              : " ("
                  + String.join(
                      ", ",
                      anomalyFalsePositivesByLevel.entrySet().stream()
                          .map(e -> e.getKey() + " " + e.getValue())
                          .toList())
                  + ")");
      out.flush();
    }
  }

  /**
   * @param ruleHits the event id of each listed rule match (null when the event had none)
   * @param correlationHits the event ids behind each correlation match; one on an attack event
   *     makes the match a detection
   * @param anomalyHits each anomaly's event id and level
   * @param events all events hunted
   */
  Result score(
      List<String> ruleHits,
      List<List<String>> correlationHits,
      List<Map.Entry<String, String>> anomalyHits,
      long events) {
    Map<String, Set<String>> detected = new HashMap<>();
    Map<String, Long> fp = new HashMap<>();
    for (String k : KINDS) {
      detected.put(k, new TreeSet<>());
      fp.put(k, 0L);
    }
    for (String id : ruleHits) {
      count("rules", List.of(Objects.requireNonNullElse(id, "")), detected, fp);
    }
    for (List<String> ids : correlationHits) {
      count("correlations", ids, detected, fp);
    }
    Map<String, Long> byLevel = new TreeMap<>();
    for (Map.Entry<String, String> hit : anomalyHits) {
      if (!count(
          "anomalies", List.of(Objects.requireNonNullElse(hit.getKey(), "")), detected, fp)) {
        byLevel.merge(hit.getValue(), 1L, Long::sum);
      }
    }
    return new Result(this, detected, fp, byLevel, Math.max(0, events - instanceOf.size()));
  }

  /** Counts one finding; returns whether it was on an attack event. */
  private boolean count(
      String kind, List<String> ids, Map<String, Set<String>> detected, Map<String, Long> fp) {
    boolean attack = false;
    for (String id : ids) {
      String i = id == null ? null : instanceOf.get(id);
      if (i != null) {
        detected.get(kind).add(i);
        attack = true;
      }
    }
    if (!attack) {
      fp.merge(kind, 1L, Long::sum);
    }
    return attack;
  }
}
