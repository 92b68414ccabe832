package dev.rampart.prevention.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How names compare: folded, domains taken off, group DNs reduced to their common name. */
public final class Names {
  private Names() {}

  /** The folded form of an account, email or group name. */
  public static String key(String s) {
    return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * The keys an account name in an event may match, most specific first: {@code CORP\olivia} gives
   * olivia; {@code olivia@corp.example} gives itself and olivia.
   */
  public static List<String> accountKeys(String account) {
    List<String> out = new ArrayList<>(2);
    if (account == null || account.isBlank()) {
      return out;
    }
    String k = key(account);
    int slash = k.lastIndexOf('\\');
    if (slash >= 0) {
      k = k.substring(slash + 1);
    }
    out.add(k);
    int at = k.indexOf('@');
    if (at > 0) {
      out.add(k.substring(0, at));
    }
    return out;
  }

  /** {@code CN=Domain Admins,CN=Users,DC=corp} gives {@code Domain Admins}; a name stays. */
  public static String groupName(String dnOrName) {
    String s = dnOrName.strip();
    if (s.regionMatches(true, 0, "cn=", 0, 3)) {
      StringBuilder cn = new StringBuilder();
      for (int i = 3; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          cn.append(s.charAt(++i)); // an escaped comma or the like
        } else if (c == ',') {
          break;
        } else {
          cn.append(c);
        }
      }
      return cn.toString().strip();
    }
    return s;
  }

  /** Splits a cell that holds several values ({@code a;b}, {@code a|b}). */
  public static List<String> several(String cell) {
    List<String> out = new ArrayList<>();
    if (cell == null) {
      return out;
    }
    for (String p : cell.split("[;|]")) {
      if (!p.isBlank()) {
        out.add(p.strip());
      }
    }
    return out;
  }
}
