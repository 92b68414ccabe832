package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Sigma string handling: wildcard parsing, windash alternatives and Base64 fragments. */
public final class SigmaStrings {
  /** The five characters a Windows option dash may be written as. */
  static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};

  private SigmaStrings() {}

  /**
   * Parses rule text into a glob (reference section 4.2): {@code *} and {@code ?} are wildcards, a
   * backslash escapes {@code *}, {@code ?} and itself, and a backslash before anything else (or at
   * the end) is kept as a literal backslash.
   */
  public static Glob parse(String text) {
    List<Glob.Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped) {
        if (c != '*' && c != '?' && c != '\\') {
          lit.append('\\');
        }
        lit.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '*' || c == '?') {
        parts.add(new Glob.Literal(lit.toString()));
        lit.setLength(0);
        parts.add(c == '*' ? Glob.Wildcard.ANY_STRING : Glob.Wildcard.ANY_CHAR);
      } else {
        lit.append(c);
      }
    }
    if (escaped) {
      lit.append('\\');
    }
    parts.add(new Glob.Literal(lit.toString()));
    return new Glob(parts);
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /**
   * Number of windash option positions: {@code -} or {@code /} after a non-word, before a word
   * char.
   */
  static int optionPositions(Glob g) {
    int n = 0;
    for (Glob.Part p : g.parts()) {
      if (p instanceof Glob.Literal l) {
        n += optionPositions(l.text()).size();
      }
    }
    return n;
  }

  static List<Integer> optionPositions(String s) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c == '-' || c == '/')
          && (i == 0 || !isWord(s.charAt(i - 1)))
          && i + 1 < s.length()
          && isWord(s.charAt(i + 1))) {
        out.add(i);
      }
    }
    return out;
  }

  /** All windash alternatives of a glob: each option position takes each of the five dashes. */
  static List<Glob> windash(Glob g) {
    List<List<Glob.Part>> results = new ArrayList<>();
    results.add(new ArrayList<>());
    for (Glob.Part p : g.parts()) {
      if (!(p instanceof Glob.Literal l)) {
        for (List<Glob.Part> r : results) {
          r.add(p);
        }
        continue;
      }
      List<Integer> positions = optionPositions(l.text());
      List<String> variants = new ArrayList<>();
      variants.add(l.text());
      for (int pos : positions) {
        List<String> next = new ArrayList<>(variants.size() * DASHES.length);
        for (String v : variants) {
          for (char d : DASHES) {
            next.add(v.substring(0, pos) + d + v.substring(pos + 1));
          }
        }
        variants = next;
      }
      List<List<Glob.Part>> expanded = new ArrayList<>(results.size() * variants.size());
      for (List<Glob.Part> r : results) {
        for (String v : variants) {
          List<Glob.Part> copy = new ArrayList<>(r);
          copy.add(new Glob.Literal(v));
          expanded.add(copy);
        }
      }
      results = expanded;
    }
    List<Glob> out = new ArrayList<>(results.size());
    for (List<Glob.Part> r : results) {
      out.add(new Glob(r));
    }
    return out;
  }

  /** Standard Base64 (with padding) of the bytes. */
  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The three offset-aligned Base64 fragments of {@code bytes} (reference 5.6): whatever precedes
   * the bytes in an encoded blob, one of them appears in it.
   */
  static List<String> base64Offsets(byte[] bytes) {
    int[] dropStart = {0, 2, 3};
    int[] dropEnd = {0, 3, 2};
    List<String> out = new ArrayList<>(3);
    for (int i = 0; i < 3; i++) {
      byte[] shifted = new byte[bytes.length + i];
      for (int k = 0; k < i; k++) {
        shifted[k] = ' ';
      }
      System.arraycopy(bytes, 0, shifted, i, bytes.length);
      String enc = base64(shifted);
      int endCut = dropEnd[(bytes.length + i) % 3];
      String frag = enc.substring(dropStart[i], enc.length() - endCut);
      if (!out.contains(frag)) {
        out.add(frag);
      }
    }
    return out;
  }

  /** UTF-16 encodings of the text, as the byte strings the encoding modifiers produce. */
  enum Utf16 {
    LE,
    BE,
    WITH_BOM;

    byte[] encode(String s) {
      return switch (this) {
        case LE -> s.getBytes(StandardCharsets.UTF_16LE);
        case BE -> s.getBytes(StandardCharsets.UTF_16BE);
        case WITH_BOM -> {
          byte[] le = s.getBytes(StandardCharsets.UTF_16LE);
          byte[] out = new byte[le.length + 2];
          out[0] = (byte) 0xFF;
          out[1] = (byte) 0xFE;
          System.arraycopy(le, 0, out, 2, le.length);
          yield out;
        }
      };
    }
  }

  /** Bytes as a string of chars 0-255: how encoded values are carried between modifiers. */
  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static byte[] fromLatin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
