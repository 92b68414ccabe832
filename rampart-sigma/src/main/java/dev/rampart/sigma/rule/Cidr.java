package dev.rampart.sigma.rule;

import dev.rampart.core.event.IpAddress;

/** An IPv4 or IPv6 network: address bytes and prefix length, host bits zero. */
public record Cidr(IpAddress network, int prefix, String text) {

  /**
   * Parses {@code a.b.c.d/n} or an IPv6 network; throws {@link IllegalArgumentException} with a
   * reason when the text is not a network or has host bits set.
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    IpAddress ip = IpAddress.parse(addr.trim());
    if (ip == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP network");
    }
    int bits = ip.isV4() ? 32 : 128;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + bits);
    }
    byte[] b = ip.bytes();
    for (int i = prefix; i < bits; i++) {
      if ((b[i / 8] & (0x80 >>> (i % 8))) != 0) {
        throw new IllegalArgumentException("'" + text + "' has host bits set");
      }
    }
    return new Cidr(ip, prefix, text);
  }

  /** True when {@code ip} lies in this network; IPv4-mapped IPv6 addresses match IPv4 networks. */
  public boolean contains(IpAddress ip) {
    byte[] a = ip.bytes();
    byte[] n = network.bytes();
    if (a.length != n.length) {
      if (a.length == 16 && n.length == 4 && isV4Mapped(a)) {
        byte[] v4 = new byte[4];
        System.arraycopy(a, 12, v4, 0, 4);
        a = v4;
      } else {
        return false;
      }
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
  }
}
