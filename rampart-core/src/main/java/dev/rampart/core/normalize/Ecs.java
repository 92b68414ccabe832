package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import java.util.List;

/** Helpers the normalizers share to fill ECS fields from native ones, only where still absent. */
final class Ecs {
  private Ecs() {}

  static void categorize(Event e, String category, String type, String outcome) {
    if (e.indexOf(ECS_EVENT_CATEGORY) < 0) {
      e.addList(ECS_EVENT_CATEGORY, single(category));
    }
    if (e.indexOf(ECS_EVENT_TYPE) < 0) {
      e.addList(ECS_EVENT_TYPE, single(type));
    }
    if (outcome != null) {
      e.putStringIfAbsent(ECS_EVENT_OUTCOME, outcome);
    }
  }

  private static final java.util.Map<String, List<Value>> SINGLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A one-element list of a constant, shared: ECS categories are a handful of words. */
  static List<Value> single(String word) {
    return SINGLES.computeIfAbsent(word, w -> List.of(new Value.Str(w)));
  }

  static void copy(Event e, int from, int to) {
    int i = e.indexOf(from);
    if (i >= 0 && e.indexOf(to) < 0 && e.kind(i) != Kind.NULL) {
      String t = e.text(i);
      if (!t.isEmpty() && !t.equals("-")) {
        e.addString(to, t);
      }
    }
  }

  static void copyLong(Event e, int from, int to) {
    int i = e.indexOf(from);
    if (i < 0 || e.indexOf(to) >= 0) {
      return;
    }
    if (e.kind(i) == Kind.LONG) {
      e.addLong(to, e.longValue(i));
    } else if (e.kind(i) == Kind.STRING) {
      long v = parseLong(e.string(i));
      if (v >= 0) {
        e.addLong(to, v);
      }
    }
  }

  static void ip(Event e, int from, int to) {
    int i = e.indexOf(from);
    if (i >= 0 && e.indexOf(to) < 0) {
      IpAddress ip = IpAddress.parse(e.text(i));
      if (ip != null) {
        e.addIp(to, ip);
      }
    }
  }

  static String text(Event e, int id) {
    int i = e.indexOf(id);
    return i < 0 || e.kind(i) == Kind.NULL ? null : e.text(i);
  }

  static long parseLong(String s) {
    if (s == null || s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
