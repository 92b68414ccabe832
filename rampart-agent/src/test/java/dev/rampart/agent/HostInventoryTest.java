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
}
