package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.agent.sca.Sca;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration checks on a host tree laid out under a folder: outcomes with their evidence. */
class ScaTest {
  @TempDir Path root;

  static void write(Path p, String text) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  Map<String, Sca.Result> run(Sca.Policy p) {
    return Sca.run(p, root).stream().collect(Collectors.toMap(Sca.Result::id, r -> r));
  }

  @Test
  void ourDebian12PolicyPassesFailsAndSaysWhy() throws Exception {
    write(root.resolve("etc/debian_version"), "12.5\n");
    write(
        root.resolve("etc/ssh/sshd_config"),
        "# hardened?\nPermitRootLogin yes\nPasswordAuthentication no\nX11Forwarding yes\n");
    write(root.resolve("proc/sys/net/ipv4/ip_forward"), "0\n");
    write(root.resolve("proc/sys/net/ipv4/conf/all/accept_redirects"), "0\n");
    write(root.resolve("proc/sys/net/ipv4/conf/all/send_redirects"), "1\n");
    write(root.resolve("proc/sys/kernel/randomize_va_space"), "2\n");
    write(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n+::::::\n");
    write(
        root.resolve("var/lib/dpkg/status"),
        "Package: auditd\nStatus: install ok installed\nVersion: 1:3.0.9-1\n\n");
    Sca.Policy policy = Sca.debian12();
    assertThat(policy.checks()).hasSizeGreaterThanOrEqualTo(20);
    Map<String, Sca.Result> r = run(policy);
    assertThat(r.get("deb12-ssh-root-login").outcome()).isEqualTo("fail");
    assertThat(r.get("deb12-ssh-root-login").evidence())
        .anySatisfy(e -> assertThat(e).contains("nothing matches", "PermitRootLogin"));
    assertThat(r.get("deb12-ssh-password-auth").outcome()).isEqualTo("pass");
    assertThat(r.get("deb12-ssh-max-auth-tries").outcome()).isEqualTo("fail"); // not set at all
    assertThat(r.get("deb12-ssh-x11").outcome()).isEqualTo("fail");
    assertThat(r.get("deb12-ssh-x11").evidence())
        .anySatisfy(e -> assertThat(e).contains("'X11Forwarding yes' must not match"));
    assertThat(r.get("deb12-sysctl-ip-forward").outcome()).isEqualTo("pass");
    assertThat(r.get("deb12-sysctl-redirects").outcome()).isEqualTo("fail");
    assertThat(r.get("deb12-sysctl-redirects").evidence())
        .contains("net.ipv4.conf.all.send_redirects = 1");
    assertThat(r.get("deb12-sysctl-aslr").outcome()).isEqualTo("pass");
    assertThat(r.get("deb12-sysctl-syncookies").outcome()).isEqualTo("fail"); // cannot be read
    assertThat(r.get("deb12-passwd-no-legacy-plus").outcome()).isEqualTo("fail");
    assertThat(r.get("deb12-auditd-installed").outcome()).isEqualTo("pass");
    assertThat(r.get("deb12-auditd-identity-rules").outcome()).isEqualTo("not-applicable");
    assertThat(r.get("deb12-pam-faillock").outcome()).isEqualTo("fail");

    // not Debian 12: nothing applies
    write(root.resolve("etc/debian_version"), "11.9\n");
    assertThat(Sca.run(policy, root)).allMatch(x -> x.outcome().equals("not-applicable"));
  }

  @Test
  void wazuhPoliciesAreReadAndBadOnesSayWhere() throws Exception {
    write(root.resolve("etc/ssh/sshd_config"), "Protocol 2\nMaxAuthTries 4\n");
    write(root.resolve("etc/os-release"), "ID=debian\n");
    String wazuh =
        """
        policy:
          id: "cis_demo"
          name: "A Wazuh-style demo policy"
        requirements:
          title: "Debian-like"
          condition: any
          rules:
            - 'f:/etc/os-release -> r:^ID=debian'
            - 'f:/etc/debian_version'
        checks:
          - id: 5001
            title: "SSH protocol 2"
            condition: all
            rules:
              - 'f:/etc/ssh/sshd_config -> r:^\\s*Protocol\\s+2'
              - 'not f:/etc/hosts.equiv'
          - id: 5003
            title: "At most 4 auth tries"
            rules:
              - 'f:/etc/ssh/sshd_config -> n:^\\s*MaxAuthTries\\s+(\\d+) compare <= 4'
          - id: 5004
            title: "At most 3 auth tries"
            rules:
              - 'f:/etc/ssh/sshd_config -> n:^\\s*MaxAuthTries\\s+(\\d+) compare <= 3'
          - id: 5002
            title: "No rhosts support"
            condition: none
            rules:
              - 'f:/etc/ssh/sshd_config -> r:^\\s*IgnoreRhosts\\s+no'
              - 'd:/etc/nonexistent'
        """;
    Sca.Policy p = Sca.parse("cis_demo.yml", wazuh);
    Map<String, Sca.Result> r = run(p);
    assertThat(r.get("5001").outcome()).isEqualTo("pass");
    assertThat(r.get("5002").outcome()).isEqualTo("pass");
    assertThat(r.get("5003").outcome()).isEqualTo("pass");
    assertThat(r.get("5004").outcome()).isEqualTo("fail");
    assertThat(r.get("5004").evidence()).anySatisfy(e -> assertThat(e).contains("4 is not <= 3"));
    assertThatThrownBy(
            () ->
                Sca.parse(
                    "bad.yml",
                    "checks:\n  - id: 1\n    rules: ['f:/etc/passwd -> r:([unclosed']\n"))
        .hasMessageContaining("bad.yml: checks[0]")
        .hasMessageContaining("bad regular expression");
    assertThatThrownBy(
            () -> Sca.parse("reg.yml", "checks:\n  - id: 1\n    rules: ['r:HKLM\\\\Software']\n"))
        .hasMessageContaining("rule type r is not supported");
    assertThat(List.of(r.get("5001").evidence())).isNotEmpty();
  }
}
