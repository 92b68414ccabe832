package dev.rampart.sigma.compile;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.eval.Fold;
import dev.rampart.sigma.mapping.Binding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the bindings an event belongs to without testing every binding. Bindings that test {@code
 * Channel} (or ECS {@code winlog.channel}) are indexed by channel and then by {@code EventID} (or
 * {@code event.code}), so a Sysmon event costs two lookups however many Sysmon categories the
 * mapping has; bindings on log types are indexed by log type (exact or prefix, remembered per event
 * source); only the remaining tests are checked.
 */
final class BindingIndex {
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
        if (k == Kind.LIST) {
          // ECS writes event.category and event.type as arrays: any element will do.
          for (Value v : e.listValue(i)) {
            if (v instanceof Value.Str s && matchesText(s.value())) {
              return true;
            }
          }
          return false;
        }
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
      return matchesText(text);
    }

    private boolean matchesText(String text) {
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
      Long parsed = longs.length == 0 ? null : RouteCompiler.canonicalInteger(text);
      if (parsed != null) {
        for (long l : longs) {
          if (parsed == l) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Channel bindings of one channel, by event id. */
  private static final class ChannelGroup {
    LongMap byEventId = new LongMap.Builder().build();
    boolean hasEventIds;
    int[] anyEventId = new int[0];
  }

  /** Per-matcher memory: the log-type bindings of the last log type seen. */
  static final class Memo {
    String logType;
    int[] logTypeBindings = new int[0];
  }

  /** A pair of fields that name the event log and the event within it. */
  private record ChannelKeys(String channel, String eventId) {}

  /** Native Windows names, and the ECS names Winlogbeat and Elastic Agent write. */
  private static final List<ChannelKeys> CHANNEL_KEYS =
      List.of(
          new ChannelKeys("Channel", "EventID"), new ChannelKeys("winlog.channel", "event.code"));

  /** The bindings on one channel field, by channel and then event id. */
  private static final class ChannelIndex {
    final int channelId;
    final int eventIdId;
    final List<ChannelGroup> groups = new ArrayList<>();
    FoldedMap byChannel;

    ChannelIndex(ChannelKeys keys) {
      this.channelId = FieldNames.id(keys.channel());
      this.eventIdId = FieldNames.id(keys.eventId());
    }
  }

  private final Test[][] residual; // per binding: tests not answered by the index
  private final ChannelIndex[] channelIndexes;
  private final Map<String, int[]> byLogType;
  private final List<Map.Entry<String, int[]>> byLogTypePrefix;
  private final int[] unindexed;

  BindingIndex(List<Binding> bindings) {
    residual = new Test[bindings.size()][];
    List<Map<String, ChannelGroup>> groups = new ArrayList<>();
    for (int k = 0; k < CHANNEL_KEYS.size(); k++) {
      groups.add(new LinkedHashMap<>());
    }
    Map<ChannelGroup, Map<Long, List<Integer>>> byId = new HashMap<>();
    Map<ChannelGroup, List<Integer>> noId = new HashMap<>();
    Map<String, List<Integer>> logTypes = new HashMap<>();
    Map<String, List<Integer>> logTypePrefixes = new LinkedHashMap<>();
    List<Integer> rest = new ArrayList<>();
    for (int b = 0; b < bindings.size(); b++) {
      Binding binding = bindings.get(b);
      int keysIndex = -1;
      List<String> channel = null;
      for (int k = 0; k < CHANNEL_KEYS.size() && keysIndex < 0; k++) {
        channel = binding.when().get(CHANNEL_KEYS.get(k).channel());
        if (channel != null && channel.stream().noneMatch(c -> c.endsWith("*"))) {
          keysIndex = k;
        }
      }
      boolean channelIndexed = keysIndex >= 0;
      ChannelKeys keys = channelIndexed ? CHANNEL_KEYS.get(keysIndex) : null;
      List<String> eventIds = channelIndexed ? binding.when().get(keys.eventId()) : null;
      List<String> logType = binding.when().get(Binding.LOG_TYPE);
      boolean idIndexed =
          channelIndexed
              && eventIds != null
              && eventIds.stream().allMatch(x -> RouteCompiler.canonicalInteger(x) != null);
      List<Test> tests = new ArrayList<>();
      for (Map.Entry<String, List<String>> w : binding.when().entrySet()) {
        if (channelIndexed && w.getKey().equals(keys.channel())
            || idIndexed && w.getKey().equals(keys.eventId())) {
          continue; // answered by the index
        }
        if (!channelIndexed && logType != null && w.getKey().equals(Binding.LOG_TYPE)) {
          continue; // answered by the log-type index
        }
        tests.add(test(w.getKey(), w.getValue()));
      }
      residual[b] = tests.toArray(new Test[0]);
      if (channelIndexed) {
        for (String c : channel) {
          ChannelGroup g =
              groups.get(keysIndex).computeIfAbsent(Fold.fold(c), k -> new ChannelGroup());
          if (idIndexed) {
            for (String id : eventIds) {
              byId.computeIfAbsent(g, k -> new HashMap<>())
                  .computeIfAbsent(RouteCompiler.canonicalInteger(id), k -> new ArrayList<>())
                  .add(b);
            }
          } else {
            noId.computeIfAbsent(g, k -> new ArrayList<>()).add(b);
          }
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
    List<ChannelIndex> used = new ArrayList<>();
    for (int k = 0; k < CHANNEL_KEYS.size(); k++) {
      if (groups.get(k).isEmpty()) {
        continue;
      }
      ChannelIndex ci = new ChannelIndex(CHANNEL_KEYS.get(k));
      FoldedMap.Builder channels = new FoldedMap.Builder(true);
      for (Map.Entry<String, ChannelGroup> e : groups.get(k).entrySet()) {
        ChannelGroup g = e.getValue();
        LongMap.Builder lb = new LongMap.Builder();
        byId.getOrDefault(g, Map.of()).forEach((id, list) -> list.forEach(b -> lb.add(id, b)));
        g.byEventId = lb.build();
        g.hasEventIds = !lb.isEmpty();
        g.anyEventId = ints(noId.getOrDefault(g, List.of()));
        channels.add(e.getKey(), ci.groups.size());
        ci.groups.add(g);
      }
      ci.byChannel = channels.build();
      used.add(ci);
    }
    channelIndexes = used.toArray(new ChannelIndex[0]);
    byLogType = new HashMap<>();
    logTypes.forEach((k, v) -> byLogType.put(k, ints(v)));
    byLogTypePrefix = new ArrayList<>();
    logTypePrefixes.forEach((k, v) -> byLogTypePrefix.add(Map.entry(k, ints(v))));
    unindexed = ints(rest);
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Test test(String key, List<String> values) {
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    for (String v : values) {
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
    int fieldId = key.equals(Binding.LOG_TYPE) ? -1 : FieldNames.id(key);
    return new Test(
        fieldId,
        exact.toArray(new String[0]),
        prefixes.toArray(new String[0]),
        longs.stream().mapToLong(Long::longValue).toArray());
  }

  /** Writes the bindings the event satisfies to {@code out}; returns how many. */
  int find(Event e, int[] out, Memo memo) {
    int n = 0;
    for (ChannelIndex index : channelIndexes) {
      int ci = e.indexOf(index.channelId);
      if (ci >= 0 && e.kind(ci) == Kind.STRING) {
        int[] g = index.byChannel.get(e.string(ci));
        if (g != null) {
          ChannelGroup group = index.groups.get(g[0]);
          n = check(e, group.anyEventId, out, n);
          if (group.hasEventIds) {
            long id = eventId(e, index.eventIdId);
            if (id != Long.MIN_VALUE) {
              int[] c = group.byEventId.get(id);
              if (c != null) {
                n = check(e, c, out, n);
              }
            }
          }
        }
      }
    }
    String lt = e.source().logType();
    if (!lt.equals(memo.logType)) {
      memo.logType = lt;
      memo.logTypeBindings = logTypeBindings(lt);
    }
    n = check(e, memo.logTypeBindings, out, n);
    return check(e, unindexed, out, n);
  }

  private static long eventId(Event e, int fieldId) {
    int i = e.indexOf(fieldId);
    if (i < 0) {
      return Long.MIN_VALUE;
    }
    if (e.kind(i) == Kind.LONG) {
      return e.longValue(i);
    }
    if (e.kind(i) == Kind.STRING) {
      Long l = RouteCompiler.canonicalInteger(e.string(i));
      return l == null ? Long.MIN_VALUE : l;
    }
    return Long.MIN_VALUE;
  }

  private int[] logTypeBindings(String lt) {
    if (lt.isEmpty()) {
      return new int[0];
    }
    List<Integer> out = new ArrayList<>();
    int[] exact = byLogType.get(lt.toLowerCase(Locale.ROOT));
    if (exact != null) {
      for (int b : exact) {
        out.add(b);
      }
    }
    for (Map.Entry<String, int[]> p : byLogTypePrefix) {
      if (lt.regionMatches(true, 0, p.getKey(), 0, p.getKey().length())) {
        for (int b : p.getValue()) {
          out.add(b);
        }
      }
    }
    return ints(out);
  }

  private int check(Event e, int[] candidates, int[] out, int n) {
    outer:
    for (int b : candidates) {
      for (Test t : residual[b]) {
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
