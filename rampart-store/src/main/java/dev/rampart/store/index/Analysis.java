package dev.rampart.store.index;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Words of text fields: runs of letters and digits, lower-cased, at most 255 characters (longer
 * runs split). {@code C:\Windows\System32\cmd.exe /c whoami} gives c, windows, system32, cmd, exe,
 * c, whoami. {@link #tokens} is the same rule in plain Java, for the reference search.
 */
public final class Analysis {
  public static final int MAX_TOKEN = 255;

  private Analysis() {}

  public static Analyzer analyzer() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer t = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
        return new TokenStreamComponents(t, new LowerCaseFilter(t));
      }
    };
  }

  /** The words of {@code s}, as the analyzer makes them. */
  public static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        cur.appendCodePoint(Character.toLowerCase(cp));
        if (cur.length() >= MAX_TOKEN) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else if (!cur.isEmpty()) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur.toString());
    }
    return out;
  }
}
