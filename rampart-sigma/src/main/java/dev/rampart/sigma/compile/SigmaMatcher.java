package dev.rampart.sigma.compile;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.eval.EventValues;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Matches events against a compiled {@link SigmaEngine}; one per thread. All per-event state is in
 * arrays allocated once and reset by stamping, so matching allocates nothing beyond the rare slow
 * paths (regexes, lazy predicates, non-string values read as text).
 */
public final class SigmaMatcher implements AhoCorasick.Hits {
  private final SigmaEngine engine;
  private final ReferenceEvaluator lazy;
  private final int[] bindingHits;
  private final BindingIndex.Memo memo = new BindingIndex.Memo();

  // Routes by binding combination, cached per matcher so the shared map is rarely touched.
  private static final int CACHE = 64;
  private final long[][] cacheKeys = new long[CACHE][];
  private final Route[] cacheRoutes = new Route[CACHE];

  // Per route evaluation (grown when a route with more predicates or rules turns up).
  private int stamp;
  private int[] predTrue = new int[0];
  private int[] predKnown = new int[0];
  private int[] globDone = new int[0];
  private int[] anchorSeen = new int[0]; // literals of an anchored regex seen in the current value
  private int[] candStamp = new int[0];
  private int[] candidates = new int[0];
  private int candCount;
  private int[] planSeen = new int[64];

  // Per event.
  private int eventStamp;
  private final int[] matchedStamp;
  private final int[] matched;
  private int matchedCount;

  // The value being scanned (for needle hits).
  private Route route;
  private Route.FieldPlan plan;
  private CharSequence text;
  private int valueStamp;
  private boolean keywordScan;
  private int keywordTexts; // texts given to the keyword scan, to know whether a message had any
  private final StringBuilder scratch = new StringBuilder(32);

  SigmaMatcher(SigmaEngine engine) {
    this.engine = engine;
    this.lazy = new ReferenceEvaluator(engine.mapping());
    this.bindingHits = new int[SigmaEngine.MAX_BINDINGS];
    this.matchedStamp = new int[Math.max(1, engine.rules().size())];
    this.matched = new int[Math.max(1, engine.rules().size())];
  }

  /** Matches one event; returns how many rules matched ({@link #matched(int)} gives them). */
  public int match(Event e) {
    matchedCount = 0;
    if (++eventStamp == Integer.MAX_VALUE) {
      Arrays.fill(matchedStamp, 0);
      eventStamp = 1;
    }
    int n = engine.index.find(e, bindingHits, memo);
    Route r = route(n);
    if (r.programs.length > 0) {
      evaluate(r, e);
    }
    return matchedCount;
  }

  /** The engine index of the {@code i}-th rule that matched the last event. */
  public int matched(int i) {
    return matched[i];
  }

  /** The rules that matched the last event, in rule order (allocates; for tools and tests). */
  public List<Integer> matchedRules() {
    int[] copy = Arrays.copyOf(matched, matchedCount);
    Arrays.sort(copy);
    return Arrays.stream(copy).boxed().toList();
  }

  private Route route(int n) {
    long a = 0;
    long b = 0;
    long c = 0;
    long d = 0;
    for (int i = 0; i < n; i++) {
      int x = bindingHits[i];
      switch (x >>> 6) {
        case 0 -> a |= 1L << x;
        case 1 -> b |= 1L << x;
        case 2 -> c |= 1L << x;
        default -> d |= 1L << x;
      }
    }
    long h = a * 31 + b * 17 + c * 13 + d;
    int slot = (int) ((h ^ (h >>> 29)) & (CACHE - 1));
    long[] k = cacheKeys[slot];
    if (k != null && k[0] == a && k[1] == b && k[2] == c && k[3] == d) {
      return cacheRoutes[slot];
    }
    Route r = engine.route(bindingHits, n);
    cacheKeys[slot] = new long[] {a, b, c, d};
    cacheRoutes[slot] = r;
    return r;
  }

  private void ensureCapacity(Route r) {
    if (predTrue.length < r.preds.length) {
      int n = r.preds.length;
      predTrue = new int[n];
      predKnown = new int[n];
      globDone = new int[n]; // zeros never equal a live stamp
      anchorSeen = new int[n];
    }
    if (candidates.length < r.programs.length) {
      candStamp = new int[r.programs.length];
      candidates = new int[r.programs.length];
    }
  }

  private void nextStamp() {
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(predTrue, 0);
      Arrays.fill(predKnown, 0);
      Arrays.fill(globDone, 0);
      Arrays.fill(candStamp, 0);
      Arrays.fill(planSeen, 0);
      stamp = 1;
    }
  }

  private void evaluate(Route r, Event e) {
    route = r;
    ensureCapacity(r);
    nextStamp();
    candCount = 0;
    if (planSeen.length < r.plans.length) {
      planSeen = new int[r.plans.length * 2];
    }
    Route.FieldPlan[] byId = r.plansByFieldId;
    for (int i = 0; i < e.size(); i++) {
      int id = e.nameId(i);
      Route.FieldPlan fp;
      if (id < byId.length && (fp = byId[id]) != null) {
        planSeen[fp.index] = stamp;
        field(fp, e, i);
      }
    }
    for (Route.FieldPlan fp : r.nestedPlans) {
      if (planSeen[fp.index] != stamp) {
        nested(fp, e);
      }
    }
    if (r.hasKeywords) {
      keywords(e);
    }
    for (int p : r.forced) {
      if (lazyValue(r.preds[p], e)) {
        fire(p);
      }
    }
    for (int rr : r.always) {
      addCandidate(rr);
    }
    for (int c = 0; c < candCount; c++) {
      int rr = candidates[c];
      int global = r.ruleIds[rr];
      if (matchedStamp[global] != eventStamp && eval(r.programs[rr], e)) {
        matchedStamp[global] = eventStamp;
        matched[matchedCount++] = global;
      }
    }
  }

  // ---- scanning field values ----

  private void field(Route.FieldPlan fp, Event e, int i) {
    switch (e.kind(i)) {
      case STRING -> text(fp, e.string(i));
      case LONG -> number(fp, e.longValue(i));
      case DOUBLE -> doubleValue(fp, e.doubleValue(i));
      case BIG_NUMBER -> text(fp, e.string(i));
      case BOOLEAN -> text(fp, e.booleanValue(i) ? "true" : "false");
      case IP -> {
        if (fp.needsText || fp.exact != null) {
          text(fp, e.ipValue(i).toString());
        }
      }
      case TIMESTAMP -> {
        if (fp.needsText || fp.exact != null) {
          text(fp, Timestamps.format(e.timestampValue(i)));
        }
      }
      case BINARY -> {
        if (fp.needsText || fp.exact != null) {
          text(fp, Base64.getEncoder().encodeToString(e.binaryValue(i)));
        }
      }
      case LIST -> {
        for (Value v : e.listValue(i)) {
          value(fp, v);
        }
      }
      case NULL, OBJECT -> {}
    }
  }

  private void value(Route.FieldPlan fp, Value v) {
    switch (v) {
      case Value.Str s -> text(fp, s.value());
      case Value.Int64 l -> number(fp, l.value());
      case Value.Float64 d -> doubleValue(fp, d.value());
      case Value.ListValue l -> {
        for (Value x : l.items()) {
          value(fp, x);
        }
      }
      case Value.Null n -> {}
      case Value.Obj o -> {}
      default -> {
        String t = EventValues.text(v);
        if (t != null) {
          text(fp, t);
        }
      }
    }
  }

  private void nested(Route.FieldPlan fp, Event e) {
    for (int prefix : fp.listPrefixIds) {
      int i = e.indexOf(prefix);
      if (i >= 0 && e.kind(i) == Kind.LIST) {
        for (Value v : EventValues.values(e, fp.sigmaField)) {
          value(fp, v);
        }
        return;
      }
    }
  }

  private void number(Route.FieldPlan fp, long v) {
    if (fp.numbers != null) {
      fire(fp.numbers.get(v));
    }
    if (fp.integerTexts != null) {
      fire(fp.integerTexts.get(v));
    }
    for (int p : fp.anyText) {
      fire(p);
    }
    // A number's text can only contain needles made of digits and signs.
    if (fp.ac != null && fp.ac.hasDigitNeedles()) {
      scratch.setLength(0);
      scratch.append(v);
      scanOnly(fp, scratch);
    }
  }

  private void doubleValue(Route.FieldPlan fp, double d) {
    text(fp, EventValues.canonical(d));
  }

  /** A text value: exact index, numeric reading, presence, needles. */
  private void text(Route.FieldPlan fp, CharSequence t) {
    if (t instanceof String str && str.length() >= MEMO_MIN) {
      int slot = memoSlot(fp, str);
      if (memoOwner[slot] == fp && memoKey[slot].equals(str)) {
        fire(memoFired[slot]);
        return;
      }
      startRecording();
      textUncached(fp, t);
      memoize(slot, fp, str);
      return;
    }
    textUncached(fp, t);
  }

  // ---- the value memo ----
  // Logs repeat values (the same image paths, call traces, rendered messages), and what a value
  // makes true depends on the value alone. Each matcher remembers, per field plan, the predicates
  // recent values fired: a repeat costs a hash and an equals instead of a scan.

  private static final int MEMO = 1 << 13;
  private static final int MEMO_MIN = 12;
  private final Object[] memoOwner = new Object[MEMO];
  private final String[] memoKey = new String[MEMO];
  private final int[][] memoFired = new int[MEMO][];
  private boolean recording;
  private int[] recorded = new int[32];
  private int recordedCount;

  private static int memoSlot(Object owner, String s) {
    int h = s.hashCode() * 31 + System.identityHashCode(owner);
    return (h ^ (h >>> 15)) & (MEMO - 1);
  }

  private void startRecording() {
    recording = true;
    recordedCount = 0;
  }

  private void memoize(int slot, Object owner, String key) {
    recording = false;
    memoOwner[slot] = owner;
    memoKey[slot] = key;
    memoFired[slot] = Arrays.copyOf(recorded, recordedCount);
  }

  private void record(int p) {
    for (int i = 0; i < recordedCount; i++) {
      if (recorded[i] == p) {
        return;
      }
    }
    if (recordedCount == recorded.length) {
      recorded = Arrays.copyOf(recorded, recordedCount * 2);
    }
    recorded[recordedCount++] = p;
  }

  private void textUncached(Route.FieldPlan fp, CharSequence t) {
    if (fp.exact != null) {
      fire(fp.exact.get(t));
    }
    if (fp.numberTexts != null && looksNumeric(t)) {
      java.math.BigDecimal n = EventValues.parseDecimal(t.toString());
      if (n != null) {
        fire(fp.numberTexts.get(RouteCompiler.canonical(n)));
      }
    }
    scanOnly(fp, t);
  }

  private static boolean looksNumeric(CharSequence t) {
    if (t.length() == 0) {
      return false;
    }
    char c = t.charAt(0);
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
  }

  private void scanOnly(Route.FieldPlan fp, CharSequence t) {
    for (int p : fp.anyText) {
      fire(p);
    }
    if (fp.ac != null) {
      plan = fp;
      text = t;
      keywordScan = false;
      valueStamp++;
      fp.ac.scan(t, this);
    }
  }

  private char[] chars = new char[1024];

  @Override
  public char[] buffer(int n) {
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    return chars;
  }

  @Override
  public void hit(int needle, int end) {
    int[] ps = keywordScan ? route.keywordNeedlePreds[needle] : plan.needlePreds[needle];
    AhoCorasick ac = keywordScan ? route.keywordAc : plan.ac;
    for (int k = 0; k < ps.length; k++) {
      int p = ps[k];
      if (predTrue[p] == stamp && !recording) {
        continue;
      }
      Route.Pred pred = route.preds[p];
      switch (pred.kind) {
        case CONTAINS, KEYWORD_CONTAINS -> fire(p);
        case PREFIX -> {
          if (end == ac.needleLength(needle)) {
            fire(p);
          }
        }
        case SUFFIX -> {
          if (end == text.length()) {
            fire(p);
          }
        }
        case GLOB, KEYWORD_GLOB -> {
          if (globDone[p] != valueStamp) {
            globDone[p] = valueStamp;
            if (pred.glob.matches(text)) {
              fire(p);
            }
          }
        }
        case REGEX_ANCHORED -> {
          if (globDone[p] != valueStamp) {
            globDone[p] = valueStamp;
            anchorSeen[p] = 0;
          }
          if (anchorSeen[p] >= 0) {
            anchorSeen[p] |= 1 << plan.needleBits[needle][k];
            if (Integer.bitCount(anchorSeen[p]) == pred.anchors) {
              anchorSeen[p] = -1; // decided for this value
              if (pred.regex.find(text)) {
                fire(p);
              }
            }
          }
        }
        default -> {}
      }
    }
  }

  // ---- keywords: every text of the event ----

  private static final int[] MESSAGE_IDS =
      EventValues.MESSAGE_FIELDS.stream().mapToInt(dev.rampart.core.event.FieldNames::id).toArray();

  private void keywords(Event e) {
    if (route.keywordAc == null) {
      return;
    }
    // The message when there is one, else every value (the reference's keyword semantics).
    int before = keywordTexts;
    for (int id : MESSAGE_IDS) {
      int i = e.indexOf(id);
      if (i >= 0) {
        keywordField(e, i);
      }
    }
    if (keywordTexts == before) {
      keywordEvent(e);
    }
  }

  private void keywordField(Event e, int i) {
    switch (e.kind(i)) {
      case STRING, BIG_NUMBER -> keywordText(e.string(i));
      case LIST -> {
        for (Value v : e.listValue(i)) {
          keywordValue(v);
        }
      }
      case NULL -> {}
      default -> {
        String t = EventValues.text(e.value(i));
        if (t != null) {
          keywordText(t);
        }
      }
    }
  }

  private void keywordEvent(Event e) {
    for (int i = 0; i < e.size(); i++) {
      switch (e.kind(i)) {
        case STRING, BIG_NUMBER -> keywordText(e.string(i));
        case LONG -> {
          if (route.keywordAc.hasDigitNeedles()) {
            scratch.setLength(0);
            scratch.append(e.longValue(i));
            keywordText(scratch);
          }
        }
        case LIST -> {
          for (Value v : e.listValue(i)) {
            keywordValue(v);
          }
        }
        case OBJECT -> keywordEvent(e.objectValue(i));
        case NULL -> {}
        default -> {
          String t = EventValues.text(e.value(i));
          if (t != null) {
            keywordText(t);
          }
        }
      }
    }
  }

  private void keywordValue(Value v) {
    switch (v) {
      case Value.ListValue l -> {
        for (Value x : l.items()) {
          keywordValue(x);
        }
      }
      case Value.Obj o -> keywordEvent(o.fields());
      default -> {
        String t = EventValues.text(v);
        if (t != null) {
          keywordText(t);
        }
      }
    }
  }

  private void keywordText(CharSequence t) {
    keywordTexts++;
    if (t instanceof String str && str.length() >= MEMO_MIN) {
      int slot = memoSlot(route, str);
      if (memoOwner[slot] == route && memoKey[slot].equals(str)) {
        fire(memoFired[slot]);
        return;
      }
      startRecording();
      keywordScanText(t);
      memoize(slot, route, str);
      return;
    }
    keywordScanText(t);
  }

  private void keywordScanText(CharSequence t) {
    text = t;
    keywordScan = true;
    valueStamp++;
    route.keywordAc.scan(t, this);
  }

  // ---- predicates and rules ----

  private void fire(int[] ps) {
    if (ps != null) {
      for (int p : ps) {
        fire(p);
      }
    }
  }

  private void fire(int p) {
    if (recording) {
      record(p);
    }
    if (predTrue[p] == stamp) {
      return;
    }
    predTrue[p] = stamp;
    for (int rr : route.preds[p].triggers) {
      addCandidate(rr);
    }
  }

  private void addCandidate(int rr) {
    if (candStamp[rr] != stamp) {
      candStamp[rr] = stamp;
      candidates[candCount++] = rr;
    }
  }

  private boolean eval(Route.Node n, Event e) {
    return switch (n) {
      case Route.Node.Leaf l -> value(l.pred(), e);
      case Route.Node.And a -> {
        for (Route.Node c : a.children()) {
          if (!eval(c, e)) {
            yield false;
          }
        }
        yield true;
      }
      case Route.Node.Or o -> {
        for (Route.Node c : o.children()) {
          if (eval(c, e)) {
            yield true;
          }
        }
        yield false;
      }
      case Route.Node.Not x -> !eval(x.child(), e);
      case Route.Node.Const c -> c.value();
    };
  }

  private boolean value(int p, Event e) {
    Route.Pred pred = route.preds[p];
    if (pred.eager() || predKnown[p] == stamp) {
      return predTrue[p] == stamp;
    }
    boolean v = lazyValue(pred, e);
    predKnown[p] = stamp;
    if (v) {
      predTrue[p] = stamp;
    }
    return v;
  }

  private boolean lazyValue(Route.Pred pred, Event e) {
    predKnown[pred.id] = stamp;
    return switch (pred.kind) {
      case REGEX -> regex(pred, e);
      case LAZY_KEYWORD -> lazy.keyword(pred.matcher, e);
      default -> lazy.field(pred.matcher, pred.sigmaField, e, pred.mapping);
    };
  }

  private boolean regex(Route.Pred pred, Event e) {
    for (Value v : EventValues.values(e, pred.sigmaField)) {
      if (regexValue(pred, v)) {
        return true;
      }
    }
    return false;
  }

  private boolean regexValue(Route.Pred pred, Value v) {
    if (v instanceof Value.ListValue l) {
      for (Value x : l.items()) {
        if (regexValue(pred, x)) {
          return true;
        }
      }
      return false;
    }
    String t = EventValues.text(v);
    return t != null && pred.regex.find(t);
  }
}
