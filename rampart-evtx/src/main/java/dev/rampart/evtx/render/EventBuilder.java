package dev.rampart.evtx.render;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.evtx.binxml.Value;
import dev.rampart.evtx.binxml.XmlNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A record straight into an {@link Event}, with exactly the fields, names and value types that
 * reading {@link JsonRenderer}'s JSON with the core JSON reader would give, minus the JSON text in
 * between. It walks the tree the way {@link JsonRenderer} does and adds each scalar under its
 * flattened path. Shapes it does not reproduce (arrays of unnamed {@code Data}, empty objects, very
 * deep or very wide records) make {@link #build} return false so that the caller takes the JSON
 * route for that record; {@code EventBuilderTest} holds the two routes equal on every record of the
 * corpora. One instance per thread.
 */
public final class EventBuilder {
  private static final int MAX_DEPTH = 60;
  private static final int MAX_FIELDS = 10_000;

  /** Thrown internally for the shapes handled by the JSON route. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super(null, null, false, false);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Integer>[] children = new Map[256];

  private int[] seen = new int[1024];
  private int stamp;
  private int duplicates;
  private Event into;

  /** Fills {@code into} (cleared first); false when the record needs the JSON route. */
  public boolean build(XmlNode.Element root, Event into) {
    this.into = into;
    into.clear();
    duplicates = 0;
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(seen, 0);
      stamp = 1;
    }
    try {
      value(root, false, child(-1, root.name()), 1);
      return true;
    } catch (Unsupported e) {
      return false;
    }
  }

  /** Keys that occurred twice in the last record (the last value is kept, as JSON readers do). */
  public int duplicates() {
    return duplicates;
  }

  private int child(int parent, String key) {
    int slot = parent + 1;
    if (slot >= children.length) {
      children = Arrays.copyOf(children, Math.max(slot + 1, children.length * 2));
    }
    Map<String, Integer> m = children[slot];
    if (m == null) {
      m = new HashMap<>();
      children[slot] = m;
    }
    Integer id = m.get(key);
    if (id == null) {
      id = FieldNames.child(parent, key);
      m.put(key, id);
    }
    return id;
  }

  private Event slot(int id) {
    if (id >= seen.length) {
      seen = Arrays.copyOf(seen, Math.max(id + 1, seen.length * 2));
    }
    if (seen[id] == stamp) {
      duplicates++;
      into.removeAll(id);
    }
    seen[id] = stamp;
    if (into.size() >= MAX_FIELDS) {
      throw Unsupported.INSTANCE;
    }
    return into;
  }

  private void value(XmlNode.Element e, boolean container, int id, int depth) {
    boolean attributes = hasAttributeText(e);
    if (!e.hasElementChild() && !e.hasText() && !attributes) {
      slot(id).addNull(id);
    } else if (!e.hasElementChild() && !attributes) {
      scalar(e.children(), id);
    } else {
      body(e, container, id, depth + 1);
    }
  }

  private void body(XmlNode.Element e, boolean container, int prefix, int depth) {
    if (depth > MAX_DEPTH) {
      throw Unsupported.INSTANCE;
    }
    boolean wrote = false;
    if (hasAttributeText(e)) {
      int attrs = child(prefix, "#attributes");
      for (XmlNode.Attribute a : e.attributes()) {
        if (a.hasText()) {
          scalar(a.value(), child(attrs, a.name()));
        }
      }
      wrote = true;
    }
    if (e.hasText()) {
      scalarSkippingElements(e.children(), child(prefix, "#text"));
      wrote = true;
    }
    boolean named = false;
    int positional = 0;
    if (container) {
      for (XmlNode n : e.children()) {
        if (n instanceof XmlNode.Element d && d.name().equals("Data")) {
          XmlNode.Attribute name = d.attribute("Name");
          if (name != null && name.hasText()) {
            named = true;
          }
          positional++;
        }
      }
    }
    boolean positionalDone = false;
    List<XmlNode> kids = e.children();
    for (int k = 0; k < kids.size(); k++) {
      if (!(kids.get(k) instanceof XmlNode.Element c)) {
        continue;
      }
      if (container && c.name().equals("Data")) {
        if (named) {
          XmlNode.Attribute name = c.attribute("Name");
          if (name != null && name.hasText()) {
            dataValue(c, child(prefix, JsonRenderer.text(name.value())), depth);
            wrote = true;
          }
        } else if (!positionalDone) {
          positionalDone = true;
          if (positional != 1) {
            throw Unsupported.INSTANCE; // a JSON array: the JSON route reads it
          }
          dataValue(c, child(child(prefix, "Data"), "#text"), depth + 1);
          wrote = true;
        }
        continue;
      }
      // Earlier siblings of the same name give the _N suffix (few children: a scan beats a map).
      int before = 0;
      for (int j = 0; j < k; j++) {
        if (kids.get(j) instanceof XmlNode.Element x
            && x.name().equals(c.name())
            && !(container && x.name().equals("Data"))) {
          before++;
        }
      }
      String key = before == 0 ? c.name() : c.name() + "_" + before;
      value(
          c,
          c.name().equals("EventData") || c.name().equals("UserData"),
          child(prefix, key),
          depth);
      wrote = true;
    }
    if (!wrote) {
      throw Unsupported.INSTANCE; // "{}": the JSON route keeps it as an empty object
    }
  }

  private void dataValue(XmlNode.Element d, int id, int depth) {
    if (d.hasElementChild()) {
      body(d, false, id, depth + 1);
    } else if (!d.hasText()) {
      slot(id).addString(id, "");
    } else {
      scalar(d.children(), id);
    }
  }

  private void scalar(List<XmlNode> nodes, int id) {
    if (nodes.size() == 1 && nodes.get(0) instanceof XmlNode.ValueNode v && number(v.value(), id)) {
      return;
    }
    slot(id).addString(id, JsonRenderer.text(nodes).stripTrailing());
  }

  private void scalarSkippingElements(List<XmlNode> nodes, int id) {
    Value single = JsonRenderer.singleValue(nodes);
    if (single != null && number(single, id)) {
      return;
    }
    slot(id).addString(id, JsonRenderer.text(nodes).stripTrailing());
  }

  private boolean number(Value v, int id) {
    switch (v) {
      case Value.Int i -> {
        if (i.unsigned() && i.value() < 0) {
          slot(id).addBigNumber(id, Long.toUnsignedString(i.value()));
        } else {
          slot(id).addLong(id, i.value());
        }
        return true;
      }
      case Value.Bool b -> {
        slot(id).addBoolean(id, b.value());
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean hasAttributeText(XmlNode.Element e) {
    for (XmlNode.Attribute a : e.attributes()) {
      if (a.hasText()) {
        return true;
      }
    }
    return false;
  }
}
