package dev.rampart.intel;

import dev.rampart.core.event.IpAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Indicator values in one canonical form, and the type of a bare value (for CSV lines without a
 * type column): an address or network, a hash by its length, a URL by its scheme, else a domain.
 */
public final class Normalize {
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  private static final Pattern DOMAIN =
      Pattern.compile("(?i)[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?");

  private Normalize() {}

  /** The type a bare value looks like; null when it is none of them. */
  public static Indicator.Type guess(String v) {
    String s = v.strip();
    if (s.isEmpty()) {
      return null;
    }
    if (ip(s) != null) {
      return Indicator.Type.IP;
    }
    if (HEX.matcher(s).matches()) {
      return switch (s.length()) {
        case 32 -> Indicator.Type.MD5;
        case 40 -> Indicator.Type.SHA1;
        case 64 -> Indicator.Type.SHA256;
        default -> null;
      };
    }
    if (s.regionMatches(true, 0, "http://", 0, 7) || s.regionMatches(true, 0, "https://", 0, 8)) {
      return Indicator.Type.URL;
    }
    return DOMAIN.matcher(s).matches() && s.contains(".") ? Indicator.Type.DOMAIN : null;
  }

  /**
   * The canonical value of {@code v} as {@code type}; null when it is not one (a bad address, a
   * hash of the wrong length).
   */
  public static String value(Indicator.Type type, String v) {
    String s = v.strip();
    return switch (type) {
      case IP -> ip(s);
      case DOMAIN -> {
        String d = s.toLowerCase(Locale.ROOT);
        if (d.startsWith("*.")) {
          d = d.substring(2);
        }
        if (d.endsWith(".")) {
          d = d.substring(0, d.length() - 1);
        }
        yield DOMAIN.matcher(d).matches() ? d : null;
      }
      case URL -> s.isEmpty() || s.length() > 8192 ? null : s.toLowerCase(Locale.ROOT);
      case MD5 -> hex(s, 32);
      case SHA1 -> hex(s, 40);
      case SHA256 -> hex(s, 64);
    };
  }

  private static String hex(String s, int len) {
    return s.length() == len && HEX.matcher(s).matches() ? s.toLowerCase(Locale.ROOT) : null;
  }

  /** An address or a network ({@code a/n}) in canonical form; null when it is neither. */
  static String ip(String s) {
    int slash = s.indexOf('/');
    try {
      if (slash < 0) {
        IpAddress a = IpAddress.parse(s);
        return a == null ? null : a.toString();
      }
      IpAddress a = IpAddress.parse(s.substring(0, slash));
      if (a == null) {
        return null;
      }
      int bits = Integer.parseInt(s.substring(slash + 1));
      int max = a.isV4() ? 32 : 128;
      if (bits < 0 || bits > max) {
        return null;
      }
      byte[] b = a.bytes().clone();
      for (int i = 0; i < b.length; i++) {
        int keep = Math.max(0, Math.min(8, bits - i * 8));
        b[i] &= (byte) (0xFF << (8 - keep));
      }
      IpAddress net = IpAddress.of(b);
      return bits == max ? net.toString() : net + "/" + bits;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
