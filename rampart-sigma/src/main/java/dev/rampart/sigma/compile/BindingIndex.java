package dev.rampart.sigma.compile;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.sigma.eval.Fold;
import dev.rampart.sigma.mapping.Binding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the bindings an event belongs to without testing every binding: bindings are indexed by
 * their {@code Channel} values and by their log types, and only the candidates are checked in full.
 * The result is a list of route numbers.
 */
final class BindingIndex {
  private static final int CHANNEL = FieldNames.id("Channel");

  /** One compiled {@code when} entry. */
  private record Test(int fieldId, String[] exact, String[] prefixes, long[] longs) {
    boolean matches(Event e) {
      String text;
      if (fieldId < 0) {
        text = e.source().logType();
      } else {
        int i = e.indexOf(fieldId);
        if (i < 0) {
          return false;
        }
        Kind k = e.kind(i);
        if (k == Kind.LONG) {
          long v = e.longValue(i);
          for (long l : longs) {
            if (l == v) {
              return true;
            }
          }
          return false;
        }
        if (k != Kind.STRING) {
          return false;
        }
        text = e.string(i);
      }
      for (String x : exact) {
        if (x.equalsIgnoreCase(text)) {
          return true;
        }
      }
      for (String p : prefixes) {
        if (text.regionMatches(true, 0, p, 0, p.length())) {
          return true;
        }
      }
      for (long l : longs) {
        Long parsed = RouteCompiler.canonicalInteger(text);
        if (parsed != null && parsed == l) {
          return true;
        }
      }
      return false;
    }
  }

  private final Test[][] tests; // per route
  private final FoldedMap byChannel;
  private final Map<String, int[]> byLogType;
  private final List<Map.Entry<String, int[]>> byLogTypePrefix;
  private final int[] unindexed;

  BindingIndex(List<Binding> bindings) {
    tests = new Test[bindings.size()][];
    FoldedMap.Builder channels = new FoldedMap.Builder(true);
    Map<String, List<Integer>> logTypes = new HashMap<>();
    Map<String, List<Integer>> logTypePrefixes = new LinkedHashMap<>();
    List<Integer> rest = new ArrayList<>();
    for (int b = 0; b < bindings.size(); b++) {
      Binding binding = bindings.get(b);
      List<Test> ts = new ArrayList<>();
      for (Map.Entry<String, List<String>> w : binding.when().entrySet()) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        for (String v : w.getValue()) {
          if (v.endsWith("*")) {
            prefixes.add(v.substring(0, v.length() - 1));
          } else {
            exact.add(v);
            Long l = RouteCompiler.canonicalInteger(v);
            if (l != null) {
              longs.add(l);
            }
          }
        }
        int fieldId = w.getKey().equals(Binding.LOG_TYPE) ? -1 : FieldNames.id(w.getKey());
        ts.add(
            new Test(
                fieldId,
                exact.toArray(new String[0]),
                prefixes.toArray(new String[0]),
                longs.stream().mapToLong(Long::longValue).toArray()));
      }
      tests[b] = ts.toArray(new Test[0]);
      List<String> channel = binding.when().get("Channel");
      List<String> logType = binding.when().get(Binding.LOG_TYPE);
      if (channel != null && channel.stream().noneMatch(c -> c.endsWith("*"))) {
        for (String c : channel) {
          channels.add(Fold.fold(c), b);
        }
      } else if (logType != null) {
        for (String t : logType) {
          if (t.endsWith("*")) {
            logTypePrefixes
                .computeIfAbsent(
                    t.substring(0, t.length() - 1).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(b);
          } else {
            logTypes.computeIfAbsent(t.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(b);
          }
        }
      } else {
        rest.add(b);
      }
    }
    byChannel = channels.build();
    byLogType = new HashMap<>();
    logTypes.forEach((k, v) -> byLogType.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    byLogTypePrefix = new ArrayList<>();
    logTypePrefixes.forEach(
        (k, v) ->
            byLogTypePrefix.add(Map.entry(k, v.stream().mapToInt(Integer::intValue).toArray())));
    unindexed = rest.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Adds the routes of every binding the event satisfies to {@code out}; returns the count. */
  int find(Event e, int[] out) {
    int n = 0;
    int ci = e.indexOf(CHANNEL);
    if (ci >= 0 && e.kind(ci) == Kind.STRING) {
      int[] c = byChannel.get(e.string(ci));
      if (c != null) {
        n = check(e, c, out, n);
      }
    }
    String lt = e.source().logType();
    if (!lt.isEmpty()) {
      int[] c = byLogType.get(lt.toLowerCase(Locale.ROOT));
      if (c != null) {
        n = check(e, c, out, n);
      }
      for (Map.Entry<String, int[]> p : byLogTypePrefix) {
        if (lt.regionMatches(true, 0, p.getKey(), 0, p.getKey().length())) {
          n = check(e, p.getValue(), out, n);
        }
      }
    }
    return check(e, unindexed, out, n);
  }

  private int check(Event e, int[] candidates, int[] out, int n) {
    outer:
    for (int b : candidates) {
      for (Test t : tests[b]) {
        if (!t.matches(e)) {
          continue outer;
        }
      }
      for (int k = 0; k < n; k++) {
        if (out[k] == b) {
          continue outer;
        }
      }
      out[n++] = b;
    }
    return n;
  }
}
