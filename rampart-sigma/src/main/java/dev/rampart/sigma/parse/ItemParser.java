package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Cidr;
import dev.rampart.sigma.rule.Glob;
import dev.rampart.sigma.rule.Position;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.ValueMatcher;
import dev.rampart.sigma.rule.ValueMatcher.Anchor;
import dev.rampart.sigma.rule.ValueMatcher.CompareOp;
import dev.rampart.sigma.rule.ValueMatcher.RefMode;
import dev.rampart.sigma.rule.ValueMatcher.TimePart;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns one detection item ({@code Field|mod1|mod2: value(s)}) into a {@link Search.Item}: splits
 * the key, types the values, and applies the modifiers left to right with the type rules of
 * reference section 5 (pySigma-compatible, with the deliberate divergences the reference
 * documents).
 */
final class ItemParser {
  /** Windash expansions are materialised up to this many alternatives per value. */
  static final int MAX_WINDASH_ALTERNATIVES = 3125;

  private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\\\)%([^%]+)%");

  private final Placeholders placeholders;
  private final Consumer<String> warn;

  ItemParser(Placeholders placeholders, Consumer<String> warn) {
    this.placeholders = placeholders;
    this.warn = warn;
  }

  /** The value of one item while its modifiers are applied. */
  private sealed interface V {
    /**
     * @param bytes literal parts are byte strings (chars 0-255) after an encoding modifier
     */
    record Str(Glob glob, boolean cased, boolean bytes, boolean modified, String raw)
        implements V {}

    record Regex(String pattern, boolean i, boolean m, boolean s, Anchor anchor) implements V {}

    record Num(BigDecimal n, boolean modified) implements V {}

    record Bool(boolean b) implements V {}

    record Null() implements V {}

    record Exists(boolean b) implements V {}

    record Net(Cidr cidr) implements V {}

    record Ref(String field, RefMode mode) implements V {}

    record Cmp(CompareOp op, BigDecimal n, TimePart part) implements V {}

    record Part(TimePart part, BigDecimal n) implements V {}

    record Exp(List<V> alternatives) implements V {}
  }

  Search.Item parse(String key, Node valueNode, Position keyPos) {
    String[] split = key.split("\\|", -1);
    String field = split[0].isEmpty() ? null : split[0];
    List<String> modifiers = new ArrayList<>();
    for (int i = 1; i < split.length; i++) {
      modifiers.add(split[i]);
    }
    List<Node> valueNodes = new ArrayList<>();
    switch (valueNode) {
      case SequenceNode seq -> valueNodes.addAll(seq.getValue());
      case MappingNode m ->
          throw new RuleSyntaxException(
              Nodes.pos(valueNode),
              "the value of '" + key + "' is a map; expected a value or a list");
      default -> valueNodes.add(valueNode);
    }
    boolean all = false;
    boolean negated = false;
    for (String m : modifiers) {
      if (m.equals("all")) {
        all = true;
      } else if (m.equals("neq")) {
        negated = true;
      }
    }
    if (valueNodes.isEmpty()) {
      warn.accept("'" + key + "' has an empty list of values; treated as null (field absent)");
      return new Search.Item(
          field, List.of(new ValueMatcher.NullMatch()), false, negated, key, keyPos);
    }
    if (all && valueNodes.size() == 1) {
      warn.accept("'" + key + "': |all with a single value does nothing");
    }
    List<ValueMatcher> values = new ArrayList<>();
    for (Node vn : valueNodes) {
      values.add(parseValue(field, key, modifiers, vn));
    }
    return new Search.Item(field, values, all, negated, key, keyPos);
  }

  private ValueMatcher parseValue(String field, String key, List<String> modifiers, Node node) {
    if (!(node instanceof ScalarNode scalar)) {
      throw new RuleSyntaxException(
          Nodes.pos(node), "a value of '" + key + "' is a list or map; expected a scalar");
    }
    if (Nodes.isYaml11Surprise(scalar)) {
      warn.accept(
          "'"
              + scalar.getValue()
              + "' in '"
              + key
              + "' is read as a YAML 1.1 "
              + scalar.getTag().getValue().replace("tag:yaml.org,2002:", "")
              + " (as pySigma does); quote it if a string was meant");
    }
    Object raw = Nodes.value(scalar);
    V v = initial(raw, key, scalar);
    Position pos = Nodes.pos(scalar);
    for (int i = 0; i < modifiers.size(); i++) {
      v = apply(modifiers.get(i), i, modifiers.size(), v, field, key, pos);
    }
    return finish(v, key, pos);
  }

  private static V initial(Object raw, String key, ScalarNode node) {
    if (raw == Nodes.NULL) {
      return new V.Null();
    }
    if (raw instanceof Boolean b) {
      return new V.Bool(b);
    }
    if (raw instanceof BigDecimal n) {
      return new V.Num(n, false);
    }
    String s = (String) raw;
    if (!org.yaml.snakeyaml.nodes.Tag.STR.equals(node.getTag())
        && !org.yaml.snakeyaml.nodes.Tag.TIMESTAMP.equals(node.getTag())
        && (s.toLowerCase(Locale.ROOT).contains("nan")
            || s.toLowerCase(Locale.ROOT).contains("inf"))) {
      throw new RuleSyntaxException(
          Nodes.pos(node), "'" + key + "': " + s + " is not a number a rule can match");
    }
    return new V.Str(SigmaStrings.parse(s), false, false, false, s);
  }

  private V apply(String mod, int index, int count, V v, String field, String key, Position pos) {
    if (v instanceof V.Exp exp && !mod.equals("all") && !mod.equals("neq")) {
      List<V> out = new ArrayList<>();
      for (V alt : exp.alternatives()) {
        V r = apply(mod, index, count, alt, field, key, pos);
        if (r instanceof V.Exp inner) {
          out.addAll(inner.alternatives());
        } else {
          out.add(r);
        }
      }
      return new V.Exp(out);
    }
    String m = mod.toLowerCase(Locale.ROOT);
    switch (m) {
      case "all", "neq" -> {
        return v;
      }
      case "contains", "startswith", "endswith" -> {
        return switch (v) {
          case V.Str s -> {
            Glob g = s.glob();
            if (!m.equals("endswith") && !g.endsWithAny()) {
              g = g.append(Glob.Wildcard.ANY_STRING);
            }
            if (!m.equals("startswith") && !g.startsWithAny()) {
              g = g.prepend(Glob.Wildcard.ANY_STRING);
            }
            yield new V.Str(g, s.cased(), s.bytes(), true, s.raw());
          }
          case V.Regex r -> {
            if (!m.equals("contains")) {
              warn.accept(
                  "'"
                      + key
                      + "': re|"
                      + m
                      + " is taken to anchor the match at the "
                      + (m.equals("startswith") ? "start" : "end"));
            }
            Anchor a =
                m.equals("contains")
                    ? r.anchor()
                    : m.equals("startswith") ? Anchor.START : Anchor.END;
            yield new V.Regex(r.pattern(), r.i(), r.m(), r.s(), a);
          }
          case V.Ref ref ->
              new V.Ref(
                  ref.field(),
                  m.equals("contains")
                      ? RefMode.CONTAINS
                      : m.equals("startswith") ? RefMode.STARTS_WITH : RefMode.ENDS_WITH);
          default -> throw typeError(pos, key, m, v, "a string");
        };
      }
      case "cased" -> {
        if (v instanceof V.Str s) {
          return new V.Str(s.glob(), true, s.bytes(), true, s.raw());
        }
        throw typeError(pos, key, m, v, "a string");
      }
      case "exists" -> {
        if (count != 1) {
          throw new RuleSyntaxException(pos, "'" + key + "': exists must be the only modifier");
        }
        if (field == null) {
          throw new RuleSyntaxException(pos, "'" + key + "': exists needs a field name");
        }
        if (v instanceof V.Bool b) {
          return new V.Exists(b.b());
        }
        throw new RuleSyntaxException(
            pos, "'" + key + "': exists takes true or false, not " + describe(v));
      }
      case "windash" -> {
        if (v instanceof V.Str s) {
          long n = 1;
          int positions = SigmaStrings.optionPositions(s.glob());
          for (int i = 0; i < positions; i++) {
            n *= SigmaStrings.DASHES.length;
          }
          if (n > MAX_WINDASH_ALTERNATIVES) {
            throw new RuleSyntaxException(
                pos,
                "'"
                    + key
                    + "': windash over "
                    + positions
                    + " option positions gives "
                    + n
                    + " alternatives; the limit is "
                    + MAX_WINDASH_ALTERNATIVES);
          }
          if (positions == 0) {
            return new V.Str(s.glob(), s.cased(), s.bytes(), true, s.raw());
          }
          List<V> alts = new ArrayList<>();
          for (Glob g : SigmaStrings.windash(s.glob())) {
            alts.add(new V.Str(g, s.cased(), s.bytes(), true, s.raw()));
          }
          return new V.Exp(alts);
        }
        throw typeError(pos, key, m, v, "a string");
      }
      case "re" -> {
        if (v instanceof V.Str s && !s.modified()) {
          return new V.Regex(s.raw(), false, false, false, Anchor.NONE);
        }
        if (v instanceof V.Str) {
          throw new RuleSyntaxException(
              pos,
              "'"
                  + key
                  + "': re must come first (regular expressions only apply to unmodified values)");
        }
        throw typeError(pos, key, m, v, "a string");
      }
      case "i", "ignorecase", "m", "multiline", "s", "dotall" -> {
        if (v instanceof V.Regex r) {
          return switch (m) {
            case "i", "ignorecase" -> new V.Regex(r.pattern(), true, r.m(), r.s(), r.anchor());
            case "m", "multiline" -> new V.Regex(r.pattern(), r.i(), true, r.s(), r.anchor());
            default -> new V.Regex(r.pattern(), r.i(), r.m(), true, r.anchor());
          };
        }
        throw new RuleSyntaxException(
            pos, "'" + key + "': the regex flag '" + mod + "' needs a preceding re modifier");
      }
      case "base64", "base64offset" -> {
        if (v instanceof V.Str s) {
          if (s.glob().hasWildcards()) {
            throw new RuleSyntaxException(
                pos,
                "'" + key + "': " + m + " cannot encode wildcards (escape * and ? or drop them)");
          }
          String text = s.glob().literalText();
          byte[] bytes =
              s.bytes() ? SigmaStrings.fromLatin1(text) : text.getBytes(StandardCharsets.UTF_8);
          if (m.equals("base64")) {
            return new V.Str(
                Glob.literal(SigmaStrings.base64(bytes)), s.cased(), false, true, s.raw());
          }
          List<V> alts = new ArrayList<>();
          for (String frag : SigmaStrings.base64Offsets(bytes)) {
            alts.add(new V.Str(Glob.literal(frag), s.cased(), false, true, s.raw()));
          }
          return new V.Exp(alts);
        }
        throw typeError(pos, key, m, v, "a string");
      }
      case "wide", "utf16le", "utf16be", "utf16" -> {
        if (v instanceof V.Str s) {
          SigmaStrings.Utf16 enc =
              switch (m) {
                case "utf16be" -> SigmaStrings.Utf16.BE;
                case "utf16" -> SigmaStrings.Utf16.WITH_BOM;
                default -> SigmaStrings.Utf16.LE;
              };
          List<Glob.Part> parts = new ArrayList<>();
          boolean first = true;
          for (Glob.Part p : s.glob().parts()) {
            if (p instanceof Glob.Literal l) {
              // The BOM belongs at the start of the value only.
              SigmaStrings.Utf16 e =
                  enc == SigmaStrings.Utf16.WITH_BOM && !first ? SigmaStrings.Utf16.LE : enc;
              parts.add(new Glob.Literal(SigmaStrings.latin1(e.encode(l.text()))));
            } else {
              parts.add(p);
            }
            first = false;
          }
          return new V.Str(new Glob(parts), s.cased(), true, true, s.raw());
        }
        throw typeError(pos, key, m, v, "a string");
      }
      case "cidr" -> {
        if (v instanceof V.Str s && !s.modified()) {
          try {
            return new V.Net(Cidr.parse(s.raw().trim()));
          } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException(pos, "'" + key + "': " + e.getMessage());
          }
        }
        throw new RuleSyntaxException(
            pos, "'" + key + "': cidr must come first and takes a network such as 10.0.0.0/8");
      }
      case "lt", "lte", "gt", "gte" -> {
        CompareOp op = CompareOp.valueOf(m.toUpperCase(Locale.ROOT));
        return switch (v) {
          case V.Num n -> new V.Cmp(op, n.n(), null);
          case V.Part p -> new V.Cmp(op, p.n(), p.part());
          default -> throw typeError(pos, key, m, v, "a number");
        };
      }
      case "minute", "hour", "day", "week", "month", "year" -> {
        if (v instanceof V.Num n) {
          return new V.Part(TimePart.valueOf(m.toUpperCase(Locale.ROOT)), n.n());
        }
        throw typeError(pos, key, m, v, "a number");
      }
      case "fieldref" -> {
        if (v instanceof V.Str s) {
          if (s.glob().hasWildcards()) {
            throw new RuleSyntaxException(
                pos, "'" + key + "': fieldref names a field; wildcards are not allowed");
          }
          return new V.Ref(s.glob().literalText(), RefMode.EQUALS);
        }
        throw typeError(pos, key, m, v, "a field name");
      }
      case "expand" -> {
        if (v instanceof V.Str s) {
          return expand(s, key, pos);
        }
        throw typeError(pos, key, m, v, "a string");
      }
      default ->
          throw new RuleSyntaxException(
              pos, "'" + key + "': unknown modifier '" + mod + "'" + suggestion(m));
    }
  }

  private static final List<String> KNOWN =
      List.of(
          "contains",
          "startswith",
          "endswith",
          "all",
          "cased",
          "exists",
          "neq",
          "windash",
          "re",
          "i",
          "ignorecase",
          "m",
          "multiline",
          "s",
          "dotall",
          "base64",
          "base64offset",
          "wide",
          "utf16le",
          "utf16be",
          "utf16",
          "cidr",
          "lt",
          "lte",
          "gt",
          "gte",
          "fieldref",
          "expand",
          "minute",
          "hour",
          "day",
          "week",
          "month",
          "year");

  private static String suggestion(String m) {
    String best = null;
    int bestDistance = 3;
    for (String k : KNOWN) {
      int d = distance(m, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private V expand(V.Str s, String key, Position pos) {
    List<List<Glob.Part>> results = new ArrayList<>();
    results.add(new ArrayList<>());
    for (Glob.Part p : s.glob().parts()) {
      if (!(p instanceof Glob.Literal l)) {
        results.forEach(r -> r.add(p));
        continue;
      }
      String text = l.text();
      Matcher matcher = PLACEHOLDER.matcher(text);
      int last = 0;
      while (matcher.find()) {
        String before = text.substring(last, matcher.start()).replace("\\%", "%");
        results.forEach(r -> r.add(new Glob.Literal(before)));
        String name = matcher.group(1);
        List<String> values = placeholders.resolve(name);
        if (values == null) {
          throw new RuleSyntaxException(
              pos,
              "'"
                  + key
                  + "': placeholder %"
                  + name
                  + "% has no values; give them in the placeholders config (--placeholders FILE)");
        }
        if (values.isEmpty()) {
          warn.accept("placeholder %" + name + "% resolved to '*' (lenient placeholder policy)");
          results.forEach(r -> r.add(Glob.Wildcard.ANY_STRING));
        } else {
          List<List<Glob.Part>> next = new ArrayList<>();
          for (List<Glob.Part> r : results) {
            for (String value : values) {
              List<Glob.Part> copy = new ArrayList<>(r);
              copy.addAll(SigmaStrings.parse(value).parts());
              next.add(copy);
            }
          }
          results = next;
        }
        last = matcher.end();
      }
      String rest = text.substring(last).replace("\\%", "%");
      results.forEach(r -> r.add(new Glob.Literal(rest)));
    }
    if (results.size() == 1) {
      return new V.Str(new Glob(results.get(0)), s.cased(), s.bytes(), true, s.raw());
    }
    List<V> alts = new ArrayList<>();
    for (List<Glob.Part> r : results) {
      alts.add(new V.Str(new Glob(r), s.cased(), s.bytes(), true, s.raw()));
    }
    return new V.Exp(alts);
  }

  private ValueMatcher finish(V v, String key, Position pos) {
    return switch (v) {
      case V.Str s -> {
        if (s.bytes()) {
          warn.accept("'" + key + "': an encoding modifier without base64 matches raw UTF-16 text");
        }
        yield new ValueMatcher.StringMatch(s.glob(), s.cased());
      }
      case V.Regex r -> {
        RegexCheck.validate(r.pattern(), pos, key, warn);
        yield new ValueMatcher.RegexMatch(r.pattern(), r.i(), r.m(), r.s(), r.anchor());
      }
      case V.Num n -> new ValueMatcher.NumberMatch(n.n());
      case V.Bool b -> new ValueMatcher.BoolMatch(b.b());
      case V.Null n -> new ValueMatcher.NullMatch();
      case V.Exists e -> new ValueMatcher.ExistsMatch(e.b());
      case V.Net c -> new ValueMatcher.CidrMatch(c.cidr());
      case V.Ref r -> new ValueMatcher.FieldRefMatch(r.field(), r.mode());
      case V.Cmp c -> new ValueMatcher.CompareMatch(c.op(), c.n(), c.part());
      case V.Part p -> {
        try {
          yield new ValueMatcher.TimePartMatch(p.part(), p.n().longValueExact());
        } catch (ArithmeticException e) {
          throw new RuleSyntaxException(pos, "'" + key + "': a time part is a whole number");
        }
      }
      case V.Exp e -> {
        List<ValueMatcher> alts = new ArrayList<>();
        for (V a : e.alternatives()) {
          alts.add(finish(a, key, pos));
        }
        yield alts.size() == 1 ? alts.get(0) : new ValueMatcher.AnyOf(alts);
      }
    };
  }

  private static RuleSyntaxException typeError(
      Position pos, String key, String mod, V v, String wanted) {
    return new RuleSyntaxException(
        pos,
        "'" + key + "': modifier '" + mod + "' applies to " + wanted + ", not to " + describe(v));
  }

  private static String describe(V v) {
    return switch (v) {
      case V.Str s -> "the string '" + s.raw() + "'";
      case V.Num n -> "the number " + n.n();
      case V.Bool b -> "the boolean " + b.b();
      case V.Null n -> "null";
      case V.Regex r -> "a regular expression";
      case V.Exists e -> "an exists test";
      case V.Net n -> "a network";
      case V.Ref r -> "a field reference";
      case V.Cmp c -> "a comparison";
      case V.Part p -> "a time part";
      case V.Exp e -> "an expansion";
    };
  }
}
