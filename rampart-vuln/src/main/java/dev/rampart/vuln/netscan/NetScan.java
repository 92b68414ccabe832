package dev.rampart.vuln.netscan;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Assessment from the network side: a TCP connect scan of the allowed networks only, each open port
 * identified by its banner (or an HTTP answer), and TLS checked — the certificate (expired, not yet
 * valid, self-signed), whether TLS 1.0 or 1.1 is still accepted, and whether a weak cipher (RC4,
 * 3DES, NULL, export, anonymous) is. Connections are paced ({@code rate} per second), bounded
 * ({@code concurrency}) and the whole scan stops at {@code maxTime}.
 *
 * <p>The legacy-protocol and weak-cipher probes send one hand-built ClientHello each and read the
 * ServerHello's version and cipher: the JDK's own TLS client refuses to offer those protocols and
 * suites (by policy, {@code jdk.tls.disabledAlgorithms}), and changing that policy would weaken
 * every other connection of the process. Nothing beyond the ServerHello is negotiated.
 */
public final class NetScan {
  private NetScan() {}

  /**
   * How a scan runs.
   *
   * @param allowed the networks a target must lie in (CIDR); anything else is refused
   */
  public record Options(
      List<String> allowed,
      Duration connectTimeout,
      Duration bannerWait,
      int concurrency,
      int ratePerSecond,
      Duration maxTime) {
    public static final Options DEFAULTS =
        new Options(
            List.of("127.0.0.0/8", "::1/128"),
            Duration.ofSeconds(1),
            Duration.ofMillis(1500),
            64,
            200,
            Duration.ofMinutes(5));
  }

  /** Ports scanned when none are named: common services. */
  public static final List<Integer> COMMON_PORTS =
      List.of(
          21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 389, 443, 445, 465, 587, 636, 993, 995,
          1433, 1521, 2049, 3306, 3389, 5432, 5900, 5985, 6379, 8000, 8080, 8443, 9200, 11211,
          27017);

  /** The certificate and protocol of a TLS service. */
  public record Tls(
      String protocol,
      String cipher,
      String subject,
      String issuer,
      Instant notBefore,
      Instant notAfter,
      boolean selfSigned,
      List<String> legacyProtocols,
      List<String> weakCiphers) {}

  /** An open port: what answered, and its TLS facts when it speaks TLS. */
  public record Service(String address, int port, String kind, String banner, Tls tls) {}

  /** Something wrong with a service, in the vocabulary of findings. */
  public record Issue(
      String address, int port, String id, String title, String severity, String detail) {}

  /**
   * What a scan found.
   *
   * @param probed connections tried
   * @param complete false when the scan stopped at its time limit
   */
  public record Result(
      List<Service> services, List<Issue> issues, int probed, boolean complete, Duration took) {}

  /** A target outside the allowed networks, or a spec that cannot be read. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  // ------------------------------------------------------------------ targets

  /**
   * The addresses and ports of {@code HOST[:PORTS]}, {@code [v6]:PORTS} or {@code CIDR[:PORTS]}.
   */
  public record Targets(List<InetAddress> addresses, List<Integer> ports) {}

  static final int MAX_ADDRESSES = 4096;

  public static Targets targets(String spec, Options o) throws Refused {
    String host = spec.strip();
    String ports = null;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new Refused("'" + spec + "': an IPv6 address goes in brackets: [::1]:22");
      }
      ports =
          close + 1 < host.length() && host.charAt(close + 1) == ':'
              ? host.substring(close + 2)
              : null;
      host = host.substring(1, close);
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
      ports = host.substring(host.indexOf(':') + 1);
      host = host.substring(0, host.indexOf(':'));
    }
    List<Integer> portList = ports == null ? COMMON_PORTS : ports(ports);
    List<InetAddress> addresses = new ArrayList<>();
    int slash = host.indexOf('/');
    try {
      if (slash > 0) {
        byte[] base = InetAddress.getByName(host.substring(0, slash)).getAddress();
        int bits = Integer.parseInt(host.substring(slash + 1));
        int hostBits = base.length * 8 - bits;
        if (bits < 0 || hostBits < 0) {
          throw new Refused("'" + host + "': not a network");
        }
        if (hostBits > 12) {
          throw new Refused(
              "'"
                  + host
                  + "' holds more than "
                  + MAX_ADDRESSES
                  + " addresses; scan smaller networks");
        }
        for (long i = 0; i < (1L << hostBits); i++) {
          byte[] a = base.clone();
          for (int b = 0; b < hostBits; b++) {
            int bit = a.length * 8 - 1 - b;
            int mask = 1 << (7 - bit % 8);
            a[bit / 8] = (byte) (((i >> b) & 1) == 1 ? a[bit / 8] | mask : a[bit / 8] & ~mask);
          }
          addresses.add(InetAddress.getByAddress(a));
        }
      } else {
        addresses.add(InetAddress.getByName(host));
      }
    } catch (UnknownHostException e) {
      throw new Refused("'" + host + "': unknown host");
    } catch (NumberFormatException e) {
      throw new Refused("'" + host + "': the prefix length is a number");
    }
    for (InetAddress a : addresses) {
      if (!allowed(a, o.allowed())) {
        throw new Refused(
            a.getHostAddress()
                + " is outside the networks a scan may reach ("
                + String.join(", ", o.allowed())
                + ")");
      }
    }
    return new Targets(addresses, portList);
  }

  static List<Integer> ports(String spec) throws Refused {
    TreeSet<Integer> out = new TreeSet<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      try {
        int dash = p.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
        if (from < 1 || to > 65535 || from > to) {
          throw new NumberFormatException();
        }
        for (int i = from; i <= to; i++) {
          out.add(i);
        }
      } catch (NumberFormatException e) {
        throw new Refused("'" + p + "': ports are 1-65535, as 22,80,8000-8100");
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code a} lies in one of the CIDR networks. */
  static boolean allowed(InetAddress a, List<String> cidrs) throws Refused {
    byte[] x = a.getAddress();
    for (String c : cidrs) {
      int slash = c.indexOf('/');
      byte[] net;
      int bits;
      try {
        net = InetAddress.getByName(slash < 0 ? c : c.substring(0, slash)).getAddress();
        bits = slash < 0 ? net.length * 8 : Integer.parseInt(c.substring(slash + 1));
      } catch (UnknownHostException | NumberFormatException e) {
        throw new Refused("'" + c + "' is not a network (CIDR such as 10.0.0.0/8)");
      }
      if (net.length != x.length || bits < 0 || bits > net.length * 8) {
        continue;
      }
      boolean in = true;
      for (int i = 0; i < bits && in; i++) {
        int mask = 1 << (7 - i % 8);
        in = (net[i / 8] & mask) == (x[i / 8] & mask);
      }
      if (in) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ the scan

  /** Scans the targets: connect, identify, check TLS, within the options' bounds. */
  public static Result scan(Targets t, Options o) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + o.maxTime().toNanos();
    List<Service> services = Collections.synchronizedList(new ArrayList<>());
    List<Issue> issues = Collections.synchronizedList(new ArrayList<>());
    Semaphore slots = new Semaphore(Math.max(1, o.concurrency()));
    AtomicInteger probed = new AtomicInteger();
    long spacing = 1_000_000_000L / Math.max(1, o.ratePerSecond());
    long next = System.nanoTime();
    boolean complete = true;
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      outer:
      for (InetAddress a : t.addresses()) {
        for (int port : t.ports()) {
          long now = System.nanoTime();
          if (now >= deadline) {
            complete = false;
            break outer;
          }
          if (next > now) {
            TimeUnit.NANOSECONDS.sleep(next - now); // pacing: at most rate connections a second
          }
          next = Math.max(next, now) + spacing;
          slots.acquire();
          probed.incrementAndGet();
          ex.submit(
              () -> {
                try {
                  probe(a, port, o, deadline, services, issues);
                } finally {
                  slots.release();
                }
              });
        }
      }
      ex.shutdown();
      if (!ex.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        complete = false;
        ex.shutdownNow();
      }
    }
    List<Service> s = new ArrayList<>(services);
    s.sort(
        (x, y) ->
            x.address().equals(y.address())
                ? Integer.compare(x.port(), y.port())
                : x.address().compareTo(y.address()));
    List<Issue> i = new ArrayList<>(issues);
    i.sort(
        (x, y) ->
            x.port() != y.port() ? Integer.compare(x.port(), y.port()) : x.id().compareTo(y.id()));
    return new Result(s, i, probed.get(), complete, Duration.ofNanos(System.nanoTime() - start));
  }

  private static Socket connect(InetAddress a, int port, Options o) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(a, port), (int) o.connectTimeout().toMillis());
      s.setSoTimeout((int) o.bannerWait().toMillis());
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private static void probe(
      InetAddress a,
      int port,
      Options o,
      long deadline,
      List<Service> services,
      List<Issue> issues) {
    String addr = a.getHostAddress();
    String banner;
    try (Socket s = connect(a, port, o)) {
      banner = firstLine(s.getInputStream());
    } catch (IOException e) {
      return; // closed, filtered or refused: not a service
    }
    if (banner != null) {
      services.add(new Service(addr, port, kind(banner), banner, null));
      return;
    }
    if (System.nanoTime() > deadline) {
      return;
    }
    Tls tls = tls(a, port, o);
    if (tls != null) {
      services.add(new Service(addr, port, "tls", null, tls));
      issues.addAll(judge(addr, port, tls, Instant.now()));
      return;
    }
    String http = http(a, port, o);
    services.add(new Service(addr, port, http != null ? "http" : "unknown", http, null));
  }

  private static String firstLine(InputStream in) throws IOException {
    byte[] b = new byte[512];
    int n;
    try {
      n = in.read(b);
    } catch (SocketTimeoutException e) {
      return null; // the client speaks first (TLS, HTTP)
    }
    if (n <= 0) {
      return null;
    }
    String s = new String(b, 0, n, StandardCharsets.ISO_8859_1);
    int nl = s.indexOf('\n');
    s = (nl >= 0 ? s.substring(0, nl) : s).strip();
    StringBuilder clean = new StringBuilder();
    for (char c : s.toCharArray()) {
      clean.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return clean.length() > 200 ? clean.substring(0, 200) : clean.toString();
  }

  static String kind(String banner) {
    String b = banner.toUpperCase(Locale.ROOT);
    if (b.startsWith("SSH-")) {
      return "ssh";
    } else if (b.startsWith("220") && b.contains("FTP")) {
      return "ftp";
    } else if (b.startsWith("220")) {
      return "smtp";
    } else if (b.startsWith("+OK")) {
      return "pop3";
    } else if (b.startsWith("* OK")) {
      return "imap";
    } else if (b.startsWith("HTTP/")) {
      return "http";
    }
    return "unknown";
  }

  private static String http(InetAddress a, int port, Options o) {
    try (Socket s = connect(a, port, o)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("HEAD / HTTP/1.0\r\nHost: "
                  + a.getHostAddress()
                  + "\r\nUser-Agent: rampart-scan\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String line = firstLine(s.getInputStream());
      return line != null && line.startsWith("HTTP/") ? line : null;
    } catch (IOException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ TLS

  private static final TrustManager[] INSPECT_ONLY = {
    new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      // the scan reads what a server presents to judge it; it sends no secrets over this channel
      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }
  };

  private static Tls tls(InetAddress a, int port, Options o) {
    SSLContext ctx;
    try {
      ctx = SSLContext.getInstance("TLS");
      ctx.init(null, INSPECT_ONLY, new SecureRandom());
    } catch (GeneralSecurityException e) {
      return null;
    }
    String protocol;
    String cipher;
    X509Certificate cert;
    try (Socket raw = connect(a, port, o);
        SSLSocket s =
            (SSLSocket) ctx.getSocketFactory().createSocket(raw, a.getHostAddress(), port, true)) {
      s.setSoTimeout((int) Math.max(2000, o.bannerWait().toMillis()));
      s.startHandshake();
      protocol = s.getSession().getProtocol();
      cipher = s.getSession().getCipherSuite();
      Certificate[] chain = s.getSession().getPeerCertificates();
      cert = chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (IOException e) {
      return null;
    }
    if (cert == null) {
      return null;
    }
    List<String> legacy = new ArrayList<>();
    for (Map.Entry<String, Integer> v : Map.of("TLSv1", 0x0301, "TLSv1.1", 0x0302).entrySet()) {
      Hello h = hello(a, port, o, v.getValue(), LEGACY_SUITES);
      if (h != null && h.version() == v.getValue()) {
        legacy.add(v.getKey());
      }
    }
    Collections.sort(legacy);
    List<String> weak = new ArrayList<>();
    Hello w =
        hello(
            a,
            port,
            o,
            0x0303,
            WEAK_SUITES.keySet().stream().mapToInt(Integer::intValue).toArray());
    if (w == null) {
      w =
          hello(
              a,
              port,
              o,
              0x0301,
              WEAK_SUITES.keySet().stream().mapToInt(Integer::intValue).toArray());
    }
    if (w != null && WEAK_SUITES.containsKey(w.cipher())) {
      weak.add(WEAK_SUITES.get(w.cipher()));
    }
    boolean self = cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    if (self) {
      try {
        cert.verify(cert.getPublicKey());
      } catch (GeneralSecurityException e) {
        self = false; // same name, another key: issued, not self-signed
      }
    }
    return new Tls(
        protocol,
        cipher,
        cert.getSubjectX500Principal().getName(),
        cert.getIssuerX500Principal().getName(),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        self,
        List.copyOf(legacy),
        List.copyOf(weak));
  }

  /** The findings a TLS service's facts give. */
  static List<Issue> judge(String addr, int port, Tls t, Instant now) {
    List<Issue> out = new ArrayList<>();
    if (t.notAfter().isBefore(now)) {
      out.add(
          new Issue(
              addr,
              port,
              "RAMPART-NET-TLS-EXPIRED",
              "TLS certificate expired",
              "high",
              "the certificate of " + t.subject() + " expired " + t.notAfter()));
    } else if (t.notBefore().isAfter(now)) {
      out.add(
          new Issue(
              addr,
              port,
              "RAMPART-NET-TLS-NOT-YET-VALID",
              "TLS certificate not yet valid",
              "medium",
              "the certificate of " + t.subject() + " is valid from " + t.notBefore()));
    }
    if (t.selfSigned()) {
      out.add(
          new Issue(
              addr,
              port,
              "RAMPART-NET-TLS-SELF-SIGNED",
              "Self-signed TLS certificate",
              "medium",
              t.subject() + " signs itself: clients cannot verify the server"));
    }
    if (!t.legacyProtocols().isEmpty()) {
      out.add(
          new Issue(
              addr,
              port,
              "RAMPART-NET-TLS-LEGACY-PROTOCOL",
              "TLS 1.0/1.1 accepted",
              "medium",
              "accepts "
                  + String.join(" and ", t.legacyProtocols())
                  + " (deprecated by RFC 8996)"));
    }
    if (!t.weakCiphers().isEmpty()) {
      out.add(
          new Issue(
              addr,
              port,
              "RAMPART-NET-TLS-WEAK-CIPHER",
              "Weak TLS cipher accepted",
              "high",
              "chose " + String.join(", ", t.weakCiphers()) + " when offered only weak suites"));
    }
    return out;
  }

  static final int[] LEGACY_SUITES = {
    0xC013, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    0xC014, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    0xC009, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
    0xC00A, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
    0x002F, // TLS_RSA_WITH_AES_128_CBC_SHA
    0x0035, // TLS_RSA_WITH_AES_256_CBC_SHA
    0x000A // TLS_RSA_WITH_3DES_EDE_CBC_SHA
  };

  static final Map<Integer, String> WEAK_SUITES =
      Map.ofEntries(
          Map.entry(0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
          Map.entry(0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
          Map.entry(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
          Map.entry(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
          Map.entry(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
          Map.entry(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
          Map.entry(0x0001, "TLS_RSA_WITH_NULL_MD5"),
          Map.entry(0x0002, "TLS_RSA_WITH_NULL_SHA"),
          Map.entry(0x003B, "TLS_RSA_WITH_NULL_SHA256"),
          Map.entry(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
          Map.entry(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"),
          Map.entry(0x0009, "TLS_RSA_WITH_DES_CBC_SHA"),
          Map.entry(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
          Map.entry(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
          Map.entry(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"));

  /** What a ServerHello said: the version and the cipher suite it chose. */
  record Hello(int version, int cipher) {}

  /** Sends one ClientHello offering {@code suites} at {@code version}; null if refused. */
  static Hello hello(InetAddress a, int port, Options o, int version, int[] suites) {
    try (Socket s = connect(a, port, o)) {
      s.setSoTimeout((int) Math.max(2000, o.bannerWait().toMillis()));
      s.getOutputStream().write(clientHello(version, suites));
      s.getOutputStream().flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int type = in.readUnsignedByte();
      in.readUnsignedShort(); // record version
      int len = in.readUnsignedShort();
      if (type != 0x16 || len < 42 || len > 1 << 14) {
        return null; // an alert (0x15): refused
      }
      byte[] body = new byte[len];
      in.readFully(body);
      if (body[0] != 2) {
        return null;
      }
      int v = ((body[4] & 0xff) << 8) | (body[5] & 0xff);
      int sid = body[38] & 0xff;
      int at = 39 + sid;
      if (at + 2 > body.length) {
        return null;
      }
      int cipher = ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
      return new Hello(v, cipher);
    } catch (IOException e) {
      return null;
    }
  }

  static byte[] clientHello(int version, int[] suites) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    // supported_groups: x25519, secp256r1, secp384r1
    write(ext, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18);
    // ec_point_formats: uncompressed
    write(ext, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00);
    // signature_algorithms: rsa_pkcs1_sha256, ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256,
    // rsa_pkcs1_sha1, ecdsa_sha1
    write(
        ext, 0x00, 0x0d, 0x00, 0x0c, 0x00, 0x0a, 0x04, 0x01, 0x04, 0x03, 0x08, 0x04, 0x02, 0x01,
        0x02, 0x03);
    // renegotiation_info (empty): servers that insist on secure renegotiation accept us
    write(ext, 0xff, 0x01, 0x00, 0x01, 0x00);
    byte[] e = ext.toByteArray();
    ByteArrayOutputStream hs = new ByteArrayOutputStream();
    write(hs, version >> 8, version & 0xff);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    hs.writeBytes(random);
    write(hs, 0); // no session id
    write(hs, (suites.length * 2) >> 8, (suites.length * 2) & 0xff);
    for (int c : suites) {
      write(hs, c >> 8, c & 0xff);
    }
    write(hs, 1, 0); // compression: null
    write(hs, e.length >> 8, e.length & 0xff);
    hs.writeBytes(e);
    byte[] body = hs.toByteArray();
    ByteArrayOutputStream rec = new ByteArrayOutputStream();
    int hsLen = body.length + 4;
    write(rec, 0x16, 0x03, 0x01, hsLen >> 8, hsLen & 0xff); // record layer says TLS 1.0, as usual
    write(rec, 0x01, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff);
    rec.writeBytes(body);
    return rec.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
  }
}
