package dev.rampart.intel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.IpAddress;
import dev.rampart.intel.feed.Feeds;
import dev.rampart.intel.index.IntelIndex;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The indicator index against a brute-force reference (every indicator tried on every query), and
 * the three feed formats on files we wrote (documentation addresses and names only).
 */
class IntelTest {
  static final Path FEEDS = Path.of("src/test/resources/feeds");

  /** The obvious matcher: scan every indicator; the most specific network wins. */
  static Indicator reference(List<Indicator> all, String kind, String q) {
    Indicator best = null;
    int bestBits = -1;
    for (Indicator ind : all) {
      switch (kind) {
        case "ip" -> {
          if (ind.type() != Indicator.Type.IP) {
            continue;
          }
          String v = ind.value();
          int slash = v.indexOf('/');
          IpAddress net = IpAddress.parse(slash < 0 ? v : v.substring(0, slash));
          IpAddress a = IpAddress.parse(q);
          if (a == null || net.isV4() != a.isV4()) {
            continue;
          }
          int max = a.isV4() ? 32 : 128;
          int bits = slash < 0 ? max : Integer.parseInt(v.substring(slash + 1));
          BigInteger x = new BigInteger(1, a.bytes()).shiftRight(max - bits);
          BigInteger y = new BigInteger(1, net.bytes()).shiftRight(max - bits);
          if (x.equals(y) && bits > bestBits) {
            best = ind;
            bestBits = bits;
          }
        }
        case "domain" -> {
          if (ind.type() != Indicator.Type.DOMAIN) {
            continue;
          }
          String d = q.toLowerCase(Locale.ROOT);
          if ((d.equals(ind.value()) || d.endsWith("." + ind.value()))
              && ind.value().length() > bestBits) {
            best = ind;
            bestBits = ind.value().length();
          }
        }
        default -> {
          if (ind.type().name().startsWith("SHA") || ind.type() == Indicator.Type.MD5) {
            if (ind.value().equals(q.toLowerCase(Locale.ROOT))) {
              best = ind;
            }
          }
        }
      }
    }
    return best;
  }

  @Property(tries = 40)
  void theIndexFindsWhatAScanFinds(@ForAll long seed) {
    Random r = new Random(seed);
    List<Indicator> all = new ArrayList<>();
    IntelIndex index = new IntelIndex();
    String[] tlds = {"example", "test", "invalid"};
    for (int k = 0; k < 300; k++) {
      Indicator ind =
          switch (r.nextInt(5)) {
            case 0 -> ip(r, r.nextBoolean() ? 32 : 8 + r.nextInt(25));
            case 1 -> v6(r);
            case 2 ->
                new Indicator(
                    Indicator.Type.DOMAIN,
                    (r.nextBoolean() ? "a" + r.nextInt(5) + "." : "")
                        + "b"
                        + r.nextInt(5)
                        + "."
                        + tlds[r.nextInt(3)],
                    "s",
                    50,
                    0,
                    "");
            default -> new Indicator(Indicator.Type.MD5, hex(r, 16), "s", 50, 0, "");
          };
      if (all.stream().noneMatch(x -> x.type() == ind.type() && x.value().equals(ind.value()))) {
        all.add(ind);
      }
      index.add(ind);
    }
    for (int k = 0; k < 2000; k++) {
      String kind;
      String q;
      switch (r.nextInt(4)) {
        case 0 -> {
          kind = "ip";
          q = "10." + r.nextInt(4) + "." + r.nextInt(4) + "." + r.nextInt(4);
        }
        case 1 -> {
          kind = "ip";
          q =
              "2001:db8:"
                  + Integer.toHexString(r.nextInt(4))
                  + "::"
                  + Integer.toHexString(r.nextInt(4));
        }
        case 2 -> {
          kind = "domain";
          q =
              (r.nextBoolean() ? "X." : "")
                  + (r.nextBoolean() ? "a" + r.nextInt(5) + "." : "")
                  + "B"
                  + r.nextInt(5)
                  + "."
                  + tlds[r.nextInt(3)]
                  + (r.nextInt(10) == 0 ? "." : "");
        }
        default -> {
          kind = "hash";
          Indicator some = all.get(r.nextInt(all.size()));
          q =
              some.type() == Indicator.Type.MD5 && r.nextBoolean()
                  ? some.value().toUpperCase(Locale.ROOT)
                  : hex(r, 16);
        }
      }
      Indicator want = reference(all, kind, q.endsWith(".") ? q.substring(0, q.length() - 1) : q);
      int got =
          switch (kind) {
            case "ip" -> index.ip(q);
            case "domain" -> index.domain(q);
            default -> index.hash(q);
          };
      assertThat(got < 0 ? null : index.indicator(got).value())
          .as("seed %d: %s %s", seed, kind, q)
          .isEqualTo(want == null ? null : want.value());
    }
  }

  static Indicator ip(Random r, int bits) {
    String a = "10." + r.nextInt(4) + "." + r.nextInt(4) + "." + r.nextInt(4);
    return new Indicator(
        Indicator.Type.IP, Normalize.value(Indicator.Type.IP, a + "/" + bits), "s", 50, 0, "");
  }

  static Indicator v6(Random r) {
    int bits = r.nextBoolean() ? 128 : 32 + r.nextInt(97);
    String a =
        "2001:db8:" + Integer.toHexString(r.nextInt(4)) + "::" + Integer.toHexString(r.nextInt(4));
    return new Indicator(
        Indicator.Type.IP, Normalize.value(Indicator.Type.IP, a + "/" + bits), "s", 50, 0, "");
  }

  static String hex(Random r, int bytes) {
    byte[] b = new byte[bytes];
    r.nextBytes(b);
    b[0] &= 3; // a small space, so some queries hit
    b[1] = 0;
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  @Test
  void aLaterIndicatorOfTheSameValueReplacesTheEarlierAndExpiryIsKept() {
    IntelIndex index = new IntelIndex();
    index.add(new Indicator(Indicator.Type.DOMAIN, "evil.example", "feed-a", 30, 0, "old"));
    index.add(
        new Indicator(
            Indicator.Type.DOMAIN, "evil.example", "feed-b", 90, 2_000_000_000_000L, "new"));
    assertThat(index.size()).isEqualTo(1);
    Indicator i = index.indicator(index.domain("WWW.Evil.Example."));
    assertThat(i.source()).isEqualTo("feed-b");
    assertThat(i.confidence()).isEqualTo(90);
    assertThat(index.live(index.domain("evil.example"), 1_999_999_999_000L)).isTrue();
    assertThat(index.live(index.domain("evil.example"), 2_000_000_000_001L)).isFalse();
    assertThat(index.domain("notevil.example")).isEqualTo(-1); // a suffix only at a dot
  }

  @Test
  void stixIndicatorsBecomeIndicatorsAndCompoundPatternsAreReported() throws Exception {
    Feeds.Result r = Feeds.read(FEEDS.resolve("bundle.stix.json"), Feeds.Format.AUTO, "cert");
    assertThat(r.indicators())
        .extracting(Indicator::type, Indicator::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Indicator.Type.IP, "198.51.100.7"),
            org.assertj.core.groups.Tuple.tuple(Indicator.Type.DOMAIN, "login-example.test"),
            org.assertj.core.groups.Tuple.tuple(Indicator.Type.DOMAIN, "payroll-example.test"),
            org.assertj.core.groups.Tuple.tuple(
                Indicator.Type.SHA256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            org.assertj.core.groups.Tuple.tuple(
                Indicator.Type.MD5, "d41d8cd98f00b204e9800998ecf8427e"),
            org.assertj.core.groups.Tuple.tuple(Indicator.Type.IP, "203.0.113.0/24"));
    assertThat(r.indicators().get(0).confidence()).isEqualTo(85);
    assertThat(r.indicators().get(0).name()).isEqualTo("C2 server");
    assertThat(r.indicators().get(0).source()).isEqualTo("cert");
    assertThat(r.indicators().get(5).live(System.currentTimeMillis())).isFalse(); // expired
    assertThat(r.problems())
        .extracting(Feeds.Problem::toString)
        .anySatisfy(p -> assertThat(p).contains("indicator--4c0c", "only comparisons joined by OR"))
        .anySatisfy(p -> assertThat(p).contains("indicator--5d0c", "pattern_type sigma"));
  }

  @Test
  void mispAttributesForDetectionWithCompositeTypesSplit() throws Exception {
    Feeds.Result r = Feeds.read(FEEDS.resolve("event.misp.json"), Feeds.Format.AUTO, "misp");
    assertThat(r.indicators())
        .extracting(Indicator::value)
        .containsExactly(
            "198.51.100.99",
            "evil.example",
            "192.0.2.44",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "http://evil.example/payload",
            "0cc175b9c0f1b6a831c399e269772661");
    assertThat(r.indicators().get(0).confidence()).isEqualTo(90); // threat level high
    assertThat(r.indicators().get(0).source()).startsWith("misp event 5f1c6a3e");
    assertThat(r.problems())
        .extracting(Feeds.Problem::toString)
        .anySatisfy(p -> assertThat(p).contains("attribute a6", "text"))
        .anySatisfy(p -> assertThat(p).contains("attribute a7", "not a valid ip"));
  }

  @Test
  void csvWithAHeaderGuessesMissingTypesAndSaysWhichLinesItSkipped() throws Exception {
    Feeds.Result r = Feeds.read(FEEDS.resolve("list.csv"), Feeds.Format.AUTO, null);
    assertThat(r.indicators())
        .extracting(Indicator::value)
        .containsExactly("198.51.100.0/25", "badcdn.example", "2001:db8::/32");
    assertThat(r.indicators().get(0).source()).isEqualTo("edge-blocklist");
    assertThat(r.indicators().get(1).source()).isEqualTo("list.csv");
    assertThat(r.indicators().get(1).name()).isEqualTo("a CDN, used by a loader");
    assertThat(r.problems())
        .extracting(Feeds.Problem::toString)
        .containsExactly(
            FEEDS.resolve("list.csv")
                + ":6: cannot tell what 'not a value here' is; add a type column",
            FEEDS.resolve("list.csv") + ":7: confidence 'abc' is not a number 0..100");
    IntelIndex index = new IntelIndex();
    r.indicators().forEach(index::add);
    assertThat(index.indicator(index.ip("198.51.100.127")).value()).isEqualTo("198.51.100.0/25");
    assertThat(index.ip("198.51.100.128")).isEqualTo(-1);
    assertThat(index.indicator(index.ip("2001:db8:1::5")).value()).isEqualTo("2001:db8::/32");
  }
}
