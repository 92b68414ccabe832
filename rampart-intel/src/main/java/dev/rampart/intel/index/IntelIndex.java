package dev.rampart.intel.index;

import dev.rampart.core.event.IpAddress;
import dev.rampart.intel.Indicator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Indicators held for matching every event: IPv4 addresses and networks by longest prefix (one
 * table keyed by prefix length and network, probed from the longest length present down: at most
 * one probe per length in use), IPv6 likewise, domains by suffix (the name and each parent), URLs
 * exactly, hashes by their bytes. Everything lives in flat arrays and one byte arena, so ten
 * million indicators fit in well under 2 GB, and a lookup allocates nothing for ASCII input.
 *
 * <p>Built by one thread; once built, any number of threads may look up (the platform swaps in a
 * new index after an import rather than changing one in use).
 */
public final class IntelIndex {
  private static final Indicator.Type[] TYPES = Indicator.Type.values();

  // Per indicator, by its number.
  private byte[] types = new byte[1024];
  private byte[] confidence = new byte[1024];
  private int[] expiry = new int[1024]; // epoch seconds; 0: never
  private short[] source = new short[1024];
  private int[] valueRef = new int[1024];
  private int[] nameRef = new int[1024];
  private int count;

  private final List<String> sources = new ArrayList<>();
  private final Map<String, Short> sourceIds = new HashMap<>();
  private final Arena arena = new Arena();

  private final LongIntMap ipv4;
  private final boolean[] v4Used = new boolean[33];
  private int[] v4Lengths = new int[0];
  private final Map<String, Integer> ipv6 = new HashMap<>();
  private int[] v6Lengths = new int[0];
  private final TreeSet<Integer> v6Set = new TreeSet<>();
  private final LongIntMap strings;

  public IntelIndex() {
    this(1024);
  }

  /** Sized for about {@code expected} indicators (it grows beyond). */
  public IntelIndex(int expected) {
    this.ipv4 = new LongIntMap(Math.max(16, expected / 2));
    this.strings = new LongIntMap(Math.max(16, expected / 2));
  }

  public int size() {
    return count;
  }

  /**
   * Adds an indicator whose value is already normalised ({@code Normalize.value}); an indicator of
   * the same type and value is replaced (its newest source, confidence and expiry win).
   */
  public void add(Indicator ind) {
    int existing = find(ind);
    int i = existing >= 0 ? existing : count;
    if (existing < 0) {
      ensure(count + 1);
      count++;
    }
    types[i] = (byte) ind.type().ordinal();
    confidence[i] = (byte) ind.confidence();
    expiry[i] =
        ind.expiresAt() == 0
            ? 0
            : (int) Math.min(Integer.MAX_VALUE, Math.max(1, ind.expiresAt() / 1000));
    source[i] = sourceId(ind.source());
    nameRef[i] = ind.name().isEmpty() ? -1 : arena.add(ind.name().getBytes(StandardCharsets.UTF_8));
    if (existing >= 0) {
      return;
    }
    switch (ind.type()) {
      case IP -> addIp(ind.value(), i);
      case MD5, SHA1, SHA256 -> {
        byte[] raw = unhex(ind.value());
        valueRef[i] = arena.add(raw);
        strings.add(fingerprintBytes(ind.type().ordinal(), raw), i);
      }
      default -> {
        byte[] b = ind.value().getBytes(StandardCharsets.UTF_8);
        valueRef[i] = arena.add(b);
        strings.add(fingerprintBytes(ind.type().ordinal(), b), i);
      }
    }
  }

  private int find(Indicator ind) {
    return switch (ind.type()) {
      case IP -> {
        int slash = ind.value().indexOf('/');
        IpAddress a = IpAddress.parse(slash < 0 ? ind.value() : ind.value().substring(0, slash));
        int bits =
            slash < 0 ? (a.isV4() ? 32 : 128) : Integer.parseInt(ind.value().substring(slash + 1));
        if (a.isV4()) {
          yield ipv4.get(v4Key(v4(a.bytes()), bits));
        }
        Integer j = ipv6.get(v6Key(a.bytes(), bits));
        yield j == null ? -1 : j;
      }
      case DOMAIN -> exact(Indicator.Type.DOMAIN, ind.value());
      case URL -> exact(Indicator.Type.URL, ind.value());
      default -> hash(ind.value(), ind.type());
    };
  }

  private void addIp(String value, int i) {
    valueRef[i] = arena.add(value.getBytes(StandardCharsets.US_ASCII));
    int slash = value.indexOf('/');
    IpAddress a = IpAddress.parse(slash < 0 ? value : value.substring(0, slash));
    int bits = slash < 0 ? (a.isV4() ? 32 : 128) : Integer.parseInt(value.substring(slash + 1));
    if (a.isV4()) {
      ipv4.put(v4Key(v4(a.bytes()), bits), i);
      if (!v4Used[bits]) {
        v4Used[bits] = true;
        List<Integer> ls = new ArrayList<>();
        for (int b = 32; b >= 0; b--) {
          if (v4Used[b]) {
            ls.add(b);
          }
        }
        v4Lengths = ls.stream().mapToInt(Integer::intValue).toArray();
      }
    } else {
      ipv6.put(v6Key(a.bytes(), bits), i);
      if (v6Set.add(bits)) {
        v6Lengths = v6Set.descendingSet().stream().mapToInt(Integer::intValue).toArray();
      }
    }
  }

  private static int v4(byte[] b) {
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }

  private static long v4Key(int address, int bits) {
    int net = bits == 0 ? 0 : address & (int) (0xFFFFFFFFL << (32 - bits));
    return ((long) bits << 32) | (net & 0xFFFFFFFFL);
  }

  private static String v6Key(byte[] b, int bits) {
    byte[] m = b.clone();
    for (int k = 0; k < m.length; k++) {
      int keep = Math.max(0, Math.min(8, bits - k * 8));
      m[k] &= (byte) (0xFF << (8 - keep));
    }
    return Arrays.toString(m) + "/" + bits;
  }

  // ---- lookups: the indicator's number, or -1 ----

  /** The most specific network or address holding the IPv4 address (as an int), or -1. */
  public int ipv4(int address) {
    for (int bits : v4Lengths) {
      int i = ipv4.get(v4Key(address, bits));
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** The most specific network or address holding {@code a}, or -1. */
  public int ip(IpAddress a) {
    byte[] b = a.bytes();
    if (a.isV4()) {
      return ipv4(v4(b));
    }
    for (int bits : v6Lengths) {
      Integer i = ipv6.get(v6Key(b, bits));
      if (i != null) {
        return i;
      }
    }
    return -1;
  }

  /** An address given as text (IPv4 parsed without allocating), or -1. */
  public int ip(String s) {
    int v4 = parseV4(s);
    if (v4 != -1 || "255.255.255.255".equals(s)) {
      return ipv4(v4);
    }
    if (s.indexOf(':') < 0 || v6Lengths.length == 0) {
      return -1;
    }
    IpAddress a = IpAddress.parse(s);
    return a == null ? -1 : ip(a);
  }

  /** Dotted-quad IPv4 as an int, or -1 (also the value of 255.255.255.255, checked by callers). */
  static int parseV4(String s) {
    int n = s.length();
    if (n < 7 || n > 15) {
      return -1;
    }
    int out = 0;
    int part = 0;
    int digits = 0;
    int dots = 0;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        part = part * 10 + (c - '0');
        if (++digits > 3 || part > 255) {
          return -1;
        }
      } else if (c == '.' && digits > 0 && dots < 3) {
        out = out << 8 | part;
        part = 0;
        digits = 0;
        dots++;
      } else {
        return -1;
      }
    }
    if (dots != 3 || digits == 0) {
      return -1;
    }
    return out << 8 | part;
  }

  /**
   * The indicator for {@code name} or the closest parent domain that is one ({@code
   * a.b.evil.example} finds {@code evil.example}), or -1. Case does not matter; a trailing dot is
   * ignored.
   */
  public int domain(String name) {
    int end = name.length();
    if (end > 0 && name.charAt(end - 1) == '.') {
      end--;
    }
    for (int k = 0; k < end; k++) {
      if (name.charAt(k) > 127) {
        return domainOrParent(name.substring(0, end).toLowerCase(Locale.ROOT));
      }
    }
    int from = 0;
    while (from < end) {
      int i = lookupAscii(Indicator.Type.DOMAIN, name, from, end);
      if (i >= 0) {
        return i;
      }
      int dot = name.indexOf('.', from);
      if (dot < 0 || dot >= end - 1) {
        return -1;
      }
      from = dot + 1;
    }
    return -1;
  }

  private int domainOrParent(String lower) {
    String s = lower;
    while (true) {
      int i = exact(Indicator.Type.DOMAIN, s);
      if (i >= 0) {
        return i;
      }
      int dot = s.indexOf('.');
      if (dot < 0) {
        return -1;
      }
      s = s.substring(dot + 1);
    }
  }

  /** The URL indicator equal to {@code url} (compared without case), or -1. */
  public int url(String url) {
    for (int k = 0; k < url.length(); k++) {
      if (url.charAt(k) > 127) {
        return exact(Indicator.Type.URL, url.strip().toLowerCase(Locale.ROOT));
      }
    }
    return lookupAscii(Indicator.Type.URL, url, 0, url.length());
  }

  /** The hash indicator equal to the hex digest {@code hex} (any case), or -1. */
  public int hash(String hex, Indicator.Type type) {
    int len =
        switch (type) {
          case MD5 -> 32;
          case SHA1 -> 40;
          case SHA256 -> 64;
          default -> -1;
        };
    if (hex.length() != len) {
      return -1;
    }
    long h = seed(type.ordinal());
    for (int k = 0; k < len; k += 2) {
      int hi = Character.digit(hex.charAt(k), 16);
      int lo = Character.digit(hex.charAt(k + 1), 16);
      if (hi < 0 || lo < 0) {
        return -1;
      }
      h = step(h, (byte) (hi << 4 | lo));
    }
    long key = finish(h);
    for (int slot = strings.probe(key, -1); slot >= 0; slot = strings.probe(key, slot)) {
      int i = strings.valueAt(slot);
      if (types[i] == type.ordinal() && arena.equalsHex(valueRef[i], hex)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Any value a person types: an address, a hash, a URL or a name (tried in that order, the first
   * that matches wins), or -1.
   */
  public int lookup(String value) {
    String v = value.strip();
    int i = ip(v);
    if (i < 0) {
      i = hash(v);
    }
    if (i < 0) {
      i = url(v);
    }
    if (i < 0) {
      i = domain(v);
    }
    return i;
  }

  /** A hex digest of any of the three lengths, or -1. */
  public int hash(String hex) {
    return switch (hex.length()) {
      case 32 -> hash(hex, Indicator.Type.MD5);
      case 40 -> hash(hex, Indicator.Type.SHA1);
      case 64 -> hash(hex, Indicator.Type.SHA256);
      default -> -1;
    };
  }

  private int lookupAscii(Indicator.Type type, String s, int from, int to) {
    long h = seed(type.ordinal());
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      h = step(h, (byte) c);
    }
    long key = finish(h);
    for (int slot = strings.probe(key, -1); slot >= 0; slot = strings.probe(key, slot)) {
      int i = strings.valueAt(slot);
      if (types[i] == type.ordinal() && arena.equalsAsciiLower(valueRef[i], s, from, to)) {
        return i;
      }
    }
    return -1;
  }

  private int exact(Indicator.Type type, String normalized) {
    byte[] b = normalized.getBytes(StandardCharsets.UTF_8);
    long key = fingerprintBytes(type.ordinal(), b);
    for (int slot = strings.probe(key, -1); slot >= 0; slot = strings.probe(key, slot)) {
      int i = strings.valueAt(slot);
      if (types[i] == type.ordinal() && arena.equalsBytes(valueRef[i], b)) {
        return i;
      }
    }
    return -1;
  }

  // ---- what a number means ----

  /** Whether indicator {@code i} is in force at {@code nowMillis}. */
  public boolean live(int i, long nowMillis) {
    return expiry[i] == 0 || expiry[i] * 1000L > nowMillis;
  }

  /** Indicator {@code i}, rebuilt (for alerts and listings; not for the hot path). */
  public Indicator indicator(int i) {
    Indicator.Type t = TYPES[types[i]];
    byte[] v = arena.get(valueRef[i]);
    String value =
        switch (t) {
          case MD5, SHA1, SHA256 -> hex(v);
          default -> new String(v, StandardCharsets.UTF_8);
        };
    return new Indicator(
        t,
        value,
        sources.get(source[i]),
        confidence[i],
        expiry[i] * 1000L,
        nameRef[i] < 0 ? "" : new String(arena.get(nameRef[i]), StandardCharsets.UTF_8));
  }

  /** Counts per type. */
  public Map<Indicator.Type, Integer> counts() {
    Map<Indicator.Type, Integer> out = new java.util.EnumMap<>(Indicator.Type.class);
    for (int i = 0; i < count; i++) {
      out.merge(TYPES[types[i]], 1, Integer::sum);
    }
    return out;
  }

  // ---- helpers ----

  private short sourceId(String s) {
    Short id = sourceIds.get(s);
    if (id == null) {
      if (sources.size() >= Short.MAX_VALUE) {
        throw new IllegalStateException("more than 32767 indicator sources");
      }
      id = (short) sources.size();
      sources.add(s);
      sourceIds.put(s, id);
    }
    return id;
  }

  private void ensure(int n) {
    if (n <= types.length) {
      return;
    }
    int cap = Math.max(n, types.length * 2);
    types = Arrays.copyOf(types, cap);
    confidence = Arrays.copyOf(confidence, cap);
    expiry = Arrays.copyOf(expiry, cap);
    source = Arrays.copyOf(source, cap);
    valueRef = Arrays.copyOf(valueRef, cap);
    nameRef = Arrays.copyOf(nameRef, cap);
  }

  private static long seed(int type) {
    return 0xcbf29ce484222325L ^ (type * 0x100000001b3L);
  }

  private static long step(long h, byte b) {
    return (h ^ (b & 0xFF)) * 0x100000001b3L;
  }

  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == Long.MIN_VALUE ? 0 : h;
  }

  private static long fingerprintBytes(int type, byte[] b) {
    long h = seed(type);
    for (byte x : b) {
      h = step(h, x);
    }
    return finish(h);
  }

  static byte[] unhex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int k = 0; k < out.length; k++) {
      out[k] =
          (byte)
              (Character.digit(s.charAt(2 * k), 16) << 4
                  | Character.digit(s.charAt(2 * k + 1), 16));
    }
    return out;
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return sb.toString();
  }
}
