package dev.rampart.agent.response;

import dev.rampart.core.event.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The response actions an agent can carry out: a closed allow-list, each validating its arguments
 * strictly (addresses must be literals, users plain names, never root) before running programs
 * through {@link Exec}, and returning the commands that undo it (empty when it cannot be undone).
 */
public enum Action {
  /** Drops traffic from an address: an element in an nftables set of the {@code rampart} table. */
  BLOCK_IP("block_ip", true) {
    @Override
    List<List<String>> apply(Map<String, String> args, Context c)
        throws IOException, InterruptedException {
      IpAddress ip = ip(args, "ip");
      String set = ip.isV4() ? "blocked4" : "blocked6";
      if (!c.exec().run(nft("list table inet rampart")).ok()) {
        check(c, nft("add table inet rampart"));
        check(c, nft("add set inet rampart blocked4 { type ipv4_addr ; }"));
        check(c, nft("add set inet rampart blocked6 { type ipv6_addr ; }"));
        check(c, nft("add chain inet rampart input { type filter hook input priority -10 ; }"));
        check(c, nft("add rule inet rampart input ip saddr @blocked4 drop"));
        check(c, nft("add rule inet rampart input ip6 saddr @blocked6 drop"));
      }
      check(c, nft("add element inet rampart " + set + " {", ip.toString(), "}"));
      return List.of(nft("delete element inet rampart " + set + " {", ip.toString(), "}"));
    }
  },

  /** Kills a process, after checking (when given) that its executable is the expected one. */
  KILL_PROCESS("kill_process", false) {
    @Override
    List<List<String>> apply(Map<String, String> args, Context c)
        throws IOException, InterruptedException {
      String pid = args.getOrDefault("pid", "");
      if (!pid.matches("[1-9][0-9]{0,9}") || pid.equals("1")) {
        throw new IllegalArgumentException("pid: a process id other than 1");
      }
      if (Long.parseLong(pid) == ProcessHandle.current().pid()) {
        throw new IllegalArgumentException("pid: the agent does not kill itself");
      }
      String exe = args.get("exe");
      if (exe != null) {
        Path link = c.root().resolve("proc").resolve(pid).resolve("exe");
        String actual;
        try {
          actual = Files.readSymbolicLink(link).toString();
        } catch (IOException gone) {
          throw new IllegalStateException("process " + pid + " is gone or unreadable");
        }
        if (!actual.equals(exe)) {
          // the pid was reused, or the alert named another program: do not kill a bystander
          throw new IllegalStateException(
              "process " + pid + " runs " + actual + ", not " + exe + "; nothing killed");
        }
      }
      check(c, List.of("kill", "-KILL", pid));
      return List.of();
    }
  },

  /** Locks a local account and expires it (no password, no key login), never root. */
  DISABLE_USER("disable_user", true) {
    @Override
    List<List<String>> apply(Map<String, String> args, Context c)
        throws IOException, InterruptedException {
      String user = args.getOrDefault("user", "");
      if (!USER.matcher(user).matches()) {
        throw new IllegalArgumentException("user: a local account name");
      }
      if (uid(c.root(), user) == 0) {
        throw new IllegalArgumentException("user: accounts with uid 0 are never disabled");
      }
      check(c, List.of("usermod", "--lock", "--expiredate", "1", user));
      return List.of(List.of("usermod", "--unlock", "--expiredate", "", user));
    }
  },

  /**
   * Cuts the host off the network except loopback and the Rampart server (whose addresses the agent
   * resolves from its enrolment before cutting), so the agent still reports and can undo.
   */
  ISOLATE("isolate", true) {
    @Override
    List<List<String>> apply(Map<String, String> args, Context c)
        throws IOException, InterruptedException {
      if (c.server().isEmpty()) {
        throw new IllegalStateException("the server's address is unknown; not isolating");
      }
      check(c, nft("add table inet rampart_isolate"));
      for (String dir : List.of("input", "output")) {
        check(
            c,
            nft(
                "add chain inet rampart_isolate "
                    + dir
                    + " { type filter hook "
                    + dir
                    + " priority -20 ; policy drop ; }"));
        String iface = dir.equals("input") ? "iif" : "oif";
        check(c, nft("add rule inet rampart_isolate " + dir + " " + iface + " lo accept"));
        String addr = dir.equals("input") ? "saddr" : "daddr";
        for (IpAddress s : c.server()) {
          String family = s.isV4() ? "ip" : "ip6";
          check(
              c,
              nft(
                  "add rule inet rampart_isolate " + dir + " " + family + " " + addr,
                  s.toString(),
                  "accept"));
        }
      }
      return List.of(nft("delete table inet rampart_isolate"));
    }
  };

  /** What an action runs with: the program runner, the host's root, the server's addresses. */
  record Context(Exec exec, Path root, List<IpAddress> server) {}

  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

  private final String id;
  private final boolean undoable;

  Action(String id, boolean undoable) {
    this.id = id;
    this.undoable = undoable;
  }

  public String id() {
    return id;
  }

  /** Whether the action can be undone (a killed process cannot). */
  public boolean undoable() {
    return undoable;
  }

  /**
   * Carries the action out; returns the commands that undo it.
   *
   * @throws IllegalArgumentException when an argument is not acceptable
   * @throws IllegalStateException when the host is not in a state to do it safely
   * @throws IOException when a program fails
   */
  abstract List<List<String>> apply(Map<String, String> args, Context c)
      throws IOException, InterruptedException;

  public static Action of(String id) {
    for (Action a : values()) {
      if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    return null;
  }

  /**
   * {@code nft} with our own words (split at spaces) and then values as whole arguments: an address
   * is always one argument, whatever it holds.
   */
  static List<String> nft(String words, String... values) {
    List<String> argv = new ArrayList<>();
    argv.add("nft");
    argv.addAll(List.of(words.split(" ")));
    argv.addAll(List.of(values));
    return argv;
  }

  static void check(Context c, List<String> argv) throws IOException, InterruptedException {
    Exec.Result r = c.exec().run(argv);
    if (!r.ok()) {
      throw new IOException(String.join(" ", argv) + " failed (" + r.status() + "): " + r.output());
    }
  }

  static IpAddress ip(Map<String, String> args, String key) {
    IpAddress ip = IpAddress.parse(args.getOrDefault(key, ""));
    if (ip == null) {
      throw new IllegalArgumentException(key + ": an IPv4 or IPv6 address literal");
    }
    return ip;
  }

  static int uid(Path root, String user) throws IOException {
    Path passwd = root.resolve("etc/passwd");
    if (Files.exists(passwd)) {
      for (String line : Files.readAllLines(passwd)) {
        String[] f = line.split(":", -1);
        if (f.length > 2 && f[0].equals(user)) {
          return Integer.parseInt(f[2]);
        }
      }
    }
    throw new IllegalArgumentException("user: no local account " + user);
  }

  /** Every action's id, for messages. */
  public static List<String> ids() {
    List<String> out = new ArrayList<>();
    for (Action a : values()) {
      out.add(a.id);
    }
    return out;
  }
}
