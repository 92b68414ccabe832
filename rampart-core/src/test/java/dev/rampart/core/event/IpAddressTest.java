package dev.rampart.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "10.1.2.3",
        "255.255.255.255",
        "::",
        "::1",
        "fe80::1",
        "2001:db8::ff00:42:8329",
        "2001:db8:0:0:1:0:0:1",
        "::ffff:192.0.2.128",
        "1:2:3:4:5:6:7:8",
        "1::",
      })
  void parsesLiteralsLikeTheJdk(String s) throws Exception {
    IpAddress ip = IpAddress.parse(s);
    assertThat(ip).as(s).isNotNull();
    InetAddress reference = InetAddress.getByName(s); // a literal: no DNS lookup happens
    assertThat(ip.toInetAddress()).isEqualTo(reference);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.-4",
        "example.com",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        "::1.2.3",
        "1.2.3.٣",
        "-",
      })
  void rejectsNonLiterals(String s) {
    assertThat(IpAddress.parse(s)).as(s).isNull();
  }

  @Test
  void canonicalText() {
    assertThat(IpAddress.parse("2001:0db8:0000:0000:0000:ff00:0042:8329").toString())
        .isEqualTo("2001:db8::ff00:42:8329");
    assertThat(IpAddress.parse("2001:db8:0:0:1:0:0:1").toString()).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddress.parse("::").toString()).isEqualTo("::");
    assertThat(IpAddress.parse("1:0:0:0:0:0:0:0").toString()).isEqualTo("1::");
  }

  @Property(tries = 1000)
  void v6TextRoundTrips(@ForAll byte[] raw) throws Exception {
    byte[] b = java.util.Arrays.copyOf(raw, 16);
    IpAddress ip = IpAddress.of(b);
    assertThat(IpAddress.parse(ip.toString())).isEqualTo(ip);
    assertThat(InetAddress.getByName(ip.toString()).getAddress()).isEqualTo(b);
  }
}
