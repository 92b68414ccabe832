package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.agent.inventory.HostInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host inventory read from a host tree laid out under a folder, as from a mounted image. */
class HostInventoryTest {
  @TempDir Path root;

  static void write(Path p, String text) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void osListenersWithTheirProcessesUsersGroupsAndThePackageDatabase() throws Exception {
    write(
        root.resolve("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
    write(root.resolve("etc/hostname"), "web-01\n");
    write(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-18-amd64\n");
    write(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/bash\nbroken line\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n");
    write(root.resolve("etc/group"), "root:x:0:\nsudo:x:27:alice,bob\n");
    String header =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    write(
        root.resolve("proc/net/tcp"),
        header
            + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n"
            + "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 100 0 0 10 0\n");
    write(
        root.resolve("proc/net/tcp6"),
        header
            + "   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5151 1 0 100 0 0 10 0\n");
    write(root.resolve("proc/123/comm"), "nginx\n");
    Files.createDirectories(root.resolve("proc/123/fd"));
    Files.createSymbolicLink(root.resolve("proc/123/fd/3"), Path.of("socket:[4242]"));
    write(
        root.resolve("var/lib/dpkg/status"),
        "Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n\n");

    HostInventory.Inventory inv = HostInventory.read(root);
    assertThat(inv.hostname()).isEqualTo("web-01");
    assertThat(inv.os().distro()).isEqualTo("debian-12");
    assertThat(inv.os().kernel()).isEqualTo("6.1.0-18-amd64");
    assertThat(inv.listeners())
        .containsExactly(
            new HostInventory.Listener("tcp", "127.0.0.1", 8080, 4242, 123, "nginx"),
            new HostInventory.Listener("tcp6", "0:0:0:0:0:0:0:1", 22, 5151, null, null));
    assertThat(inv.users())
        .extracting(HostInventory.User::name)
        .containsExactly("root", "www-data");
    assertThat(inv.problems()).anyMatch(p -> p.contains("passwd:2"));
    assertThat(inv.groups().get(1).members()).containsExactly("alice", "bob");
    assertThat(inv.packageFormat()).isEqualTo("dpkg");
  }

  /**
   * An RPM host (a stand-in {@code rpm} program answering the agent's two queries, as RHEL 9's
   * would): packages for the inventory, and per-file SHA-256 digests for package-aware FIM.
   */
  @Test
  void anRpmHostsPackagesAndFileDigestsComeFromRpm() throws Exception {
    write(root.resolve("etc/os-release"), "ID=rocky\nVERSION_ID=\"9.3\"\n");
    Files.createDirectories(root.resolve("var/lib/rpm"));
    Path etc = Files.createDirectories(root.resolve("etc"));
    Path conf = Files.writeString(etc.resolve("chrony.conf"), "pool 2.rocky.pool.ntp.org iburst\n");
    String sha =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(conf)));
    Path rpm = root.resolve("fake-rpm");
    Files.writeString(
        rpm,
        """
        #!/bin/sh
        case "$*" in
          *FILENAMES*) printf '%s\\t%s\\tchrony\\n/etc/chrony.d\\t\\tchrony\\n' "CONF" "SHA" ;;
          *) printf 'openssl-libs\\t1\\t3.0.7\\t25.el9_3\\tx86_64\\topenssl-3.0.7-25.el9_3.src.rpm\\n'
             printf 'chrony\\t(none)\\t4.3\\t1.el9\\tx86_64\\tchrony-4.3-1.el9.src.rpm\\n' ;;
        esac
        """
            .replace("CONF", conf.toString())
            .replace("SHA", sha));
    rpm.toFile().setExecutable(true);
    System.setProperty("rampart.rpm", rpm.toString());
    try {
      HostInventory.Inventory inv = HostInventory.read(root);
      assertThat(inv.packageFormat()).isEqualTo("rpm");
      assertThat(Files.readString(inv.packageDb()))
          .contains("openssl-libs\t1\t3.0.7\t25.el9_3\tx86_64\topenssl-3.0.7-25.el9_3.src.rpm");
      assertThat(
              dev.rampart.agent.AgentEvents.packageItems("rpm", Files.readString(inv.packageDb())))
          .containsExactly("package chrony 4.3-1.el9", "package openssl-libs 1:3.0.7-25.el9_3");
      dev.rampart.agent.fim.PackageDigests d = dev.rampart.agent.fim.PackageDigests.of(root);
      assertThat(d.size()).isEqualTo(1); // the folder has no digest
      assertThat(d.verify(Path.of("/"), conf.toString())).isEqualTo("chrony");
      Files.writeString(conf, "server evil.example\n");
      assertThat(d.verify(Path.of("/"), conf.toString())).isNull();
    } finally {
      System.clearProperty("rampart.rpm");
    }
  }
}
