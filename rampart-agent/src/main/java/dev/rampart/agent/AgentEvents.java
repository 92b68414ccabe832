package dev.rampart.agent;

import dev.rampart.agent.fim.Fim;
import dev.rampart.agent.fim.FimWatcher;
import dev.rampart.agent.inventory.HostInventory;
import dev.rampart.agent.sca.Sca;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The agent's own records as events with ECS names, so the server stores, searches and detects on
 * them like any log: file changes ({@code agent/fim}), inventories ({@code agent/inventory}),
 * configuration check results ({@code agent/sca}). Pure functions of what was observed.
 */
public final class AgentEvents {
  /** The input name every agent record carries. */
  public static final String INPUT = "agent";

  public static final String FIM = "agent/fim";
  public static final String INVENTORY = "agent/inventory";
  public static final String SCA = "agent/sca";
  public static final String RESPONSE = "agent/response";

  /** Fields of an inventory record the server reads (and does not store). */
  public static final String PACKAGES = "rampart.inventory.packages";

  public static final String PACKAGES_FORMAT = "rampart.inventory.packages_format";
  public static final String DISTRO = "rampart.inventory.distro";

  /** On a forwarded line the server is to parse: the parser's name. */
  public static final String PARSE = "rampart.parse";

  private AgentEvents() {}

  private static Event base(String host, String logType) {
    Event e = new Event();
    e.timestamp(Timestamps.fromInstant(Instant.now()));
    e.source(new EventSource(INPUT, host, logType));
    e.addString("host.name", host);
    return e;
  }

  private static void strings(Event e, String name, Collection<String> values) {
    List<Value> items = new ArrayList<>(values.size());
    for (String v : values) {
      items.add(new Value.Str(v));
    }
    e.addList(FieldNames.id(name), items);
  }

  /** A file change seen in real time or by a scan; {@code now} is the entry after it, or null. */
  public static Event fim(String host, FimWatcher.Change c, Fim.Entry now) {
    Event e = base(host, FIM);
    e.addString("event.kind", "event");
    e.addString("event.module", "fim");
    e.addString("event.dataset", "rampart.fim");
    strings(e, "event.category", List.of("file"));
    String type =
        switch (c.kind()) {
          case "added" -> "creation";
          case "removed" -> "deletion";
          default -> "change";
        };
    strings(e, "event.type", List.of(type));
    e.addString("event.action", "file-" + c.kind());
    e.addString("file.path", c.path());
    strings(e, "rampart.fim.changed", c.attributes());
    if (c.pkg() != null) {
      // the new content is what the package shipped: an install or upgrade, not an intrusion
      e.addString("package.name", c.pkg());
      e.addBoolean(dev.rampart.core.event.FieldNames.id("rampart.fim.by_package"), true);
    }
    if (c.pid() > 0) {
      e.addLong("process.pid", c.pid());
      if (c.exe() != null) {
        e.addString("process.executable", c.exe());
      }
      if (c.user() != null) {
        e.addString("user.name", c.user());
      }
    }
    if (now != null) {
      e.addString("file.type", now.ftype());
      e.addString("file.mode", String.format("%04o", now.mode()));
      e.addLong("file.uid", now.uid());
      e.addLong("file.gid", now.gid());
      e.addLong("file.size", now.size());
      e.addLong("file.inode", now.inode());
      if (now.sha256() != null) {
        e.addString("file.hash.sha256", now.sha256());
      }
      if (now.linkname() != null) {
        e.addString("file.target_path", now.linkname());
      }
    }
    e.addString(
        "message",
        "file "
            + c.kind()
            + ": "
            + c.path()
            + (c.attributes().isEmpty() ? "" : " (" + String.join(", ", c.attributes()) + ")"));
    return e;
  }

  /**
   * An inventory: OS, kernel, counts, and what was added and removed since the previous one sent
   * ({@code added}, {@code removed}: items such as {@code listener tcp 0.0.0.0:22 sshd}); the
   * package database's text only when it changed (null otherwise).
   */
  public static Event inventory(
      HostInventory.Inventory inv, List<String> added, List<String> removed, String packagesText) {
    Event e = base(inv.hostname(), INVENTORY);
    e.addString("event.kind", "state");
    e.addString("event.module", "inventory");
    e.addString("event.dataset", "rampart.inventory");
    strings(e, "event.category", List.of("host", "package"));
    if (inv.os().id() != null) {
      e.addString("host.os.name", inv.os().id());
    }
    if (inv.os().version() != null) {
      e.addString("host.os.version", inv.os().version());
    }
    if (inv.os().kernel() != null) {
      e.addString("host.os.kernel", inv.os().kernel());
    }
    if (inv.os().distro() != null) {
      e.addString(DISTRO, inv.os().distro());
    }
    e.addLong("rampart.inventory.listeners", inv.listeners().size());
    e.addLong("rampart.inventory.users", inv.users().size());
    e.addLong("rampart.inventory.groups", inv.groups().size());
    strings(e, "rampart.inventory.added", added);
    strings(e, "rampart.inventory.removed", removed);
    if (packagesText != null && inv.packageFormat() != null) {
      e.addString(PACKAGES_FORMAT, inv.packageFormat());
      e.addString(PACKAGES, packagesText);
    }
    e.addString(
        "message",
        "inventory of "
            + inv.hostname()
            + ": "
            + added.size()
            + " added, "
            + removed.size()
            + " removed"
            + (packagesText != null ? ", packages changed" : ""));
    return e;
  }

  /** The items an inventory is compared by, one string each. */
  public static List<String> items(HostInventory.Inventory inv) {
    List<String> out = new ArrayList<>();
    for (HostInventory.Listener l : inv.listeners()) {
      out.add(
          "listener "
              + l.protocol()
              + " "
              + l.address()
              + ":"
              + l.port()
              + (l.process() == null ? "" : " " + l.process()));
    }
    for (HostInventory.User u : inv.users()) {
      out.add("user " + u.name() + " uid=" + u.uid() + " shell=" + u.shell());
    }
    for (HostInventory.Group g : inv.groups()) {
      out.add(
          "group " + g.name() + " gid=" + g.gid() + " members=" + String.join(",", g.members()));
    }
    return out;
  }

  /** The outcome of a response command (done, dry-run, rejected, failed, undone, undo-failed). */
  public static Event response(
      String host,
      String commandId,
      String action,
      String outcome,
      String detail,
      List<String> commands) {
    Event e = base(host, RESPONSE);
    e.addString("event.kind", "event");
    e.addString("event.module", "response");
    e.addString("event.dataset", "rampart.response");
    strings(e, "event.category", List.of("host"));
    if (action != null) {
      e.addString("event.action", action);
    }
    e.addString(
        "event.outcome",
        switch (outcome) {
          case "done", "undone", "dry-run" -> "success";
          default -> "failure";
        });
    if (commandId != null) {
      e.addString("rampart.response.command_id", commandId);
    }
    e.addString("rampart.response.outcome", outcome);
    e.addString("rampart.response.detail", detail);
    strings(e, "rampart.response.commands", commands);
    e.addString(
        "message",
        "response " + (action == null ? "command" : action) + " " + outcome + ": " + detail);
    return e;
  }

  /**
   * The installed packages of a dpkg status file, an apk database or the agent's rpm list as
   * inventory items ({@code package NAME VERSION}), so an upgrade shows as the old version removed
   * and the new one added.
   */
  public static List<String> packageItems(String format, String text) {
    List<String> out = new ArrayList<>();
    if ("rpm".equals(format)) {
      // the agent's query: name, epoch, version, release, arch, source rpm
      for (String l : text.split("\n")) {
        String[] f = l.split("\t");
        if (f.length >= 4) {
          String epoch = f[1].equals("(none)") || f[1].isEmpty() ? "" : f[1] + ":";
          out.add("package " + f[0] + " " + epoch + f[2] + "-" + f[3]);
        }
      }
      java.util.Collections.sort(out);
      return out;
    }
    boolean apk = "apk".equals(format);
    String name = null;
    String version = null;
    boolean installed = apk;
    for (String line : (text + "\n\n").split("\n", -1)) {
      if (line.isEmpty()) {
        if (name != null && version != null && installed) {
          out.add("package " + name + " " + version);
        }
        name = null;
        version = null;
        installed = apk;
      } else if (apk ? line.startsWith("P:") : line.startsWith("Package: ")) {
        name = line.substring(apk ? 2 : 9).strip();
      } else if (apk ? line.startsWith("V:") : line.startsWith("Version: ")) {
        version = line.substring(apk ? 2 : 9).strip();
      } else if (!apk && line.startsWith("Status: ")) {
        installed = line.endsWith(" installed");
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** One configuration check's result. */
  public static Event sca(String host, String policy, Sca.Result r) {
    Event e = base(host, SCA);
    e.addString("event.kind", "state");
    e.addString("event.module", "sca");
    e.addString("event.dataset", "rampart.sca");
    strings(e, "event.category", List.of("configuration"));
    e.addString(
        "event.outcome",
        switch (r.outcome()) {
          case "pass" -> "success";
          case "fail" -> "failure";
          default -> "unknown";
        });
    e.addString("rule.id", r.id());
    e.addString("rule.name", r.title());
    e.addString("rule.ruleset", policy);
    e.addString("rampart.sca.outcome", r.outcome());
    strings(e, "rampart.sca.evidence", r.evidence());
    if (r.remediation() != null) {
      e.addString("rampart.sca.remediation", r.remediation());
    }
    e.addString("message", "check " + r.id() + " " + r.outcome() + ": " + r.title());
    return e;
  }
}
