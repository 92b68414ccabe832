package dev.rampart.agent.inventory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Linux host is and runs, read from its files ({@code /etc/os-release}, {@code /proc},
 * {@code /etc/passwd}, {@code /etc/group}): the OS and kernel, listening TCP and UDP sockets with
 * the processes that own them, users and groups. Installed packages are read by the vulnerability
 * module's readers from the package database this class points at. Every source is read under a
 * root folder, so tests (and audits of a mounted disk image) read another tree.
 */
public final class HostInventory {
  private HostInventory() {}

  /** The operating system: {@code id} and {@code version} as os-release says, and the kernel. */
  public record Os(String id, String version, String prettyName, String kernel) {
    /** The release as Rampart's inventories name it: {@code debian-12}, {@code alpine-3.19.1}. */
    public String distro() {
      return id == null || version == null ? null : id + "-" + version;
    }
  }

  /** A listening socket and, when it can be told, its process. */
  public record Listener(
      String protocol, String address, int port, long inode, Integer pid, String process) {}

  public record User(String name, int uid, int gid, String home, String shell) {}

  public record Group(String name, int gid, List<String> members) {}

  /**
   * The whole inventory.
   *
   * @param packageDb the package database found ({@code var/lib/dpkg/status}, {@code
   *     lib/apk/db/installed}), or null
   * @param problems what could not be read, and why
   */
  public record Inventory(
      String hostname,
      Os os,
      List<Listener> listeners,
      List<User> users,
      List<Group> groups,
      Path packageDb,
      String packageFormat,
      List<String> problems) {}

  /**
   * What the vulnerability module's rpm reader takes (name, epoch, version, release, arch, source).
   */
  static final String RPM_FORMAT =
      "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n";

  public static Inventory read(Path root) {
    List<String> problems = new ArrayList<>();
    Os os = os(root, problems);
    List<Listener> listeners = listeners(root, problems);
    List<User> users = new ArrayList<>();
    for (String[] f : colonFile(root.resolve("etc/passwd"), 7, problems)) {
      try {
        users.add(new User(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5], f[6]));
      } catch (NumberFormatException e) {
        problems.add("etc/passwd: " + f[0] + ": uid or gid is not a number");
      }
    }
    List<Group> groups = new ArrayList<>();
    for (String[] f : colonFile(root.resolve("etc/group"), 4, problems)) {
      try {
        groups.add(
            new Group(
                f[0],
                Integer.parseInt(f[2]),
                f[3].isEmpty() ? List.of() : List.of(f[3].split(","))));
      } catch (NumberFormatException e) {
        problems.add("etc/group: " + f[0] + ": gid is not a number");
      }
    }
    Path db = null;
    String format = null;
    for (String[] c :
        new String[][] {{"var/lib/dpkg/status", "dpkg"}, {"lib/apk/db/installed", "apk"}}) {
      if (Files.isRegularFile(root.resolve(c[0]))) {
        db = root.resolve(c[0]);
        format = c[1];
        break;
      }
    }
    if (db == null && Rpm.present(root)) {
      // rpm's database needs rpm: its list goes to a private file the readers take like the others
      try {
        String list = Rpm.query(root, RPM_FORMAT);
        Path f = Files.createTempFile("rampart-rpm-", ".txt");
        f.toFile().deleteOnExit();
        Files.writeString(f, list);
        db = f;
        format = "rpm";
      } catch (IOException e) {
        problems.add("rpm: " + e.getMessage());
      }
    }
    String hostname = first(root.resolve("etc/hostname"));
    if (hostname == null && root.equals(Path.of("/"))) {
      try {
        hostname = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        problems.add("hostname: " + e.getMessage());
      }
    }
    return new Inventory(hostname, os, listeners, users, groups, db, format, problems);
  }

  private static String first(Path p) {
    try {
      List<String> l = Files.readAllLines(p, StandardCharsets.UTF_8);
      return l.isEmpty() ? null : l.get(0).strip();
    } catch (IOException e) {
      return null;
    }
  }

  static Os os(Path root, List<String> problems) {
    Map<String, String> kv = new HashMap<>();
    Path f = root.resolve("etc/os-release");
    if (!Files.isRegularFile(f)) {
      f = root.resolve("usr/lib/os-release");
    }
    try {
      for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int eq = l.indexOf('=');
        if (eq > 0 && !l.startsWith("#")) {
          String v = l.substring(eq + 1).strip();
          if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
            v = v.substring(1, v.length() - 1);
          }
          kv.put(l.substring(0, eq).strip(), v);
        }
      }
    } catch (IOException e) {
      problems.add("os-release: " + e.getMessage());
    }
    String version = kv.get("VERSION_ID");
    if ("alpine".equals(kv.get("ID"))) {
      String exact = first(root.resolve("etc/alpine-release"));
      version = exact != null ? exact : version;
    }
    return new Os(
        kv.get("ID"),
        version,
        kv.get("PRETTY_NAME"),
        first(root.resolve("proc/sys/kernel/osrelease")));
  }

  private static List<String[]> colonFile(Path p, int fields, List<String> problems) {
    List<String[]> out = new ArrayList<>();
    try {
      int line = 0;
      for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        line++;
        if (l.isBlank() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split(":", -1);
        if (f.length < fields) {
          problems.add(p + ":" + line + ": " + fields + " fields expected; skipped");
          continue;
        }
        out.add(f);
      }
    } catch (IOException e) {
      problems.add(p + ": " + e.getMessage());
    }
    return out;
  }

  // /proc/net/{tcp,tcp6,udp,udp6}: TCP in LISTEN (0A), UDP unconnected (07); the socket inode
  // names the process through /proc/PID/fd/* -> socket:[inode]
  static List<Listener> listeners(Path root, List<String> problems) {
    List<Listener> found = new ArrayList<>();
    for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path f = root.resolve("proc/net/" + proto);
      if (!Files.isRegularFile(f)) {
        continue;
      }
      try {
        List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
        for (int i = 1; i < lines.size(); i++) {
          String[] c = lines.get(i).strip().split("\\s+");
          if (c.length < 10) {
            continue;
          }
          boolean listening = proto.startsWith("tcp") ? c[3].equals("0A") : c[3].equals("07");
          if (!listening) {
            continue;
          }
          String[] local = c[1].split(":");
          found.add(
              new Listener(
                  proto,
                  address(local[0]),
                  Integer.parseInt(local[1], 16),
                  Long.parseLong(c[9]),
                  null,
                  null));
        }
      } catch (IOException | RuntimeException e) {
        problems.add("proc/net/" + proto + ": " + e.getMessage());
      }
    }
    Map<Long, Integer> owners = socketOwners(root);
    List<Listener> out = new ArrayList<>();
    Map<String, Listener> unique = new TreeMap<>();
    for (Listener l : found) {
      Integer pid = owners.get(l.inode());
      String comm = pid == null ? null : first(root.resolve("proc/" + pid + "/comm"));
      unique.putIfAbsent(
          l.protocol() + " " + l.address() + " " + l.port(),
          new Listener(l.protocol(), l.address(), l.port(), l.inode(), pid, comm));
    }
    out.addAll(unique.values());
    return out;
  }

  private static Map<Long, Integer> socketOwners(Path root) {
    Map<Long, Integer> out = new LinkedHashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(root.resolve("proc"))) {
      for (Path p : procs) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
          for (Path fd : fds) {
            try {
              String target = Files.readSymbolicLink(fd).toString();
              if (target.startsWith("socket:[")) {
                out.putIfAbsent(
                    Long.parseLong(target.substring(8, target.length() - 1)),
                    Integer.parseInt(name));
              }
            } catch (IOException | RuntimeException e) {
              // a descriptor closed while we looked
            }
          }
        } catch (IOException e) {
          // a process that ended, or one we may not inspect
        }
      }
    } catch (IOException e) {
      // no /proc under this root
    }
    return out;
  }

  /** A /proc/net address: little-endian hex IPv4, or four little-endian words of IPv6. */
  static String address(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    byte[] a = new byte[b.length];
    for (int w = 0; w < b.length / 4; w++) {
      for (int k = 0; k < 4; k++) {
        a[w * 4 + k] = b[w * 4 + 3 - k];
      }
    }
    try {
      return InetAddress.getByAddress(a).getHostAddress();
    } catch (UnknownHostException e) {
      return hex;
    }
  }
}
