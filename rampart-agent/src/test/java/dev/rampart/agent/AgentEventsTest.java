package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.agent.fim.FimWatcher;
import dev.rampart.core.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's records as events, and the package items inventories are compared by. */
class AgentEventsTest {
  @Test
  void packageItemsComeFromInstalledDpkgEntriesAndApkEntries() {
    String dpkg =
        """
        Package: openssh-server
        Status: install ok installed
        Version: 1:9.2p1-2+deb12u3

        Package: telnetd
        Status: deinstall ok config-files
        Version: 0.17+2.4-2

        Package: bash
        Status: install ok installed
        Version: 5.2.15-2+b7
        """;
    assertThat(AgentEvents.packageItems("dpkg", dpkg))
        .containsExactly("package bash 5.2.15-2+b7", "package openssh-server 1:9.2p1-2+deb12u3");
    String apk = "C:Q1abc\nP:musl\nV:1.2.4-r2\n\nP:busybox\nV:1.36.1-r5\n";
    assertThat(AgentEvents.packageItems("apk", apk))
        .containsExactly("package busybox 1.36.1-r5", "package musl 1.2.4-r2");
  }

  @Test
  void aFileChangeCarriesTheProcessBehindIt() {
    Event e =
        AgentEvents.fim(
            "web-01",
            new FimWatcher.Change(
                "changed",
                "/etc/passwd",
                List.of("content", "size"),
                0,
                4242,
                "/usr/bin/vi",
                "bob",
                "passwd"),
            null);
    assertThat(e.getText("file.path")).isEqualTo("/etc/passwd");
    assertThat(e.getText("event.action")).isEqualTo("file-changed");
    assertThat(e.getText("process.pid")).isEqualTo("4242");
    assertThat(e.getText("process.executable")).isEqualTo("/usr/bin/vi");
    assertThat(e.getText("user.name")).isEqualTo("bob");
    assertThat(e.getText("package.name")).isEqualTo("passwd"); // verified: an upgrade
    assertThat(e.source().logType()).isEqualTo(AgentEvents.FIM);
  }
}
