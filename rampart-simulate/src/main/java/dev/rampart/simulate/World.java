package dev.rampart.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated organisation: hosts, users and addresses, all derived from the seed so that the
 * same seed always describes the same network.
 */
final class World {
  static final String DOMAIN = "CORP";
  static final String DNS_SUFFIX = "corp.example";

  record Host(String name, String ip, boolean windows, boolean server, String fqdn) {
    Host(String name, String ip, boolean windows, boolean server) {
      this(name, ip, windows, server, name.toLowerCase(java.util.Locale.ROOT) + "." + DNS_SUFFIX);
    }
  }

  final List<Host> workstations = new ArrayList<>();
  final List<Host> servers = new ArrayList<>();
  final List<Host> linux = new ArrayList<>();
  final Host domainController;
  final List<String> users = new ArrayList<>();
  final List<String> admins = List.of("adm_jsmith", "adm_mlopez");
  final String dnsServer = "10.10.0.53";

  private static final String[] FIRST = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin", "zoe",
    "amir", "bea", "chen", "dmitri", "elif", "farah", "goran", "hana", "ines", "jon", "kofi",
    "lena", "mateo", "noor", "oskar", "priya", "quinn", "rosa", "sven"
  };

  World(long seed, int workstationCount) {
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
    for (int i = 1; i <= workstationCount; i++) {
      workstations.add(
          new Host(
              String.format("WS-%03d", i),
              "10.10." + (10 + i / 250) + "." + (10 + i % 240),
              true,
              false));
    }
    for (String s : List.of("SRV-FILE01", "SRV-APP01", "SRV-SQL01", "SRV-EXCH01")) {
      servers.add(new Host(s, "10.10.1." + (20 + servers.size()), true, true));
    }
    domainController = new Host("DC-01", "10.10.0.10", true, true);
    for (String s : List.of("web-01", "web-02", "db-01", "bastion-01", "build-01")) {
      linux.add(new Host(s, "10.10.2." + (30 + linux.size()), false, true));
    }
    List<String> names = new ArrayList<>(List.of(FIRST));
    for (int i = names.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      String t = names.get(i);
      names.set(i, names.get(j));
      names.set(j, t);
    }
    users.addAll(names);
  }

  Host workstation(SplittableRandom rnd) {
    return workstations.get(rnd.nextInt(workstations.size()));
  }

  Host windowsServer(SplittableRandom rnd) {
    return servers.get(rnd.nextInt(servers.size()));
  }

  Host linuxHost(SplittableRandom rnd) {
    return linux.get(rnd.nextInt(linux.size()));
  }

  /** The user who works at a workstation (stable per host). */
  String ownerOf(Host h) {
    return users.get(Math.floorMod(h.name().hashCode(), users.size()));
  }

  private final java.util.Map<String, String> qualified =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** {@code CORP\\user}, built once per user so that every event shares the instance. */
  String qualified(String user) {
    return qualified.computeIfAbsent(user, u -> DOMAIN + "\\" + u);
  }

  String user(SplittableRandom rnd) {
    return users.get(rnd.nextInt(users.size()));
  }

  /** The office's public address, where its people's cloud sign-ins come from at work. */
  static final String OFFICE_EGRESS = "198.51.100.10";

  /** A user's address at home (stable per user), where their cloud sign-ins come from otherwise. */
  static String homeIp(String user) {
    return "192.0.2." + (20 + Math.floorMod(user.hashCode() * 31 + 7, 200));
  }

  /** An address in the documentation ranges (RFC 5737): never a real host. */
  static String externalIp(SplittableRandom rnd) {
    String[] nets = {"203.0.113.", "198.51.100.", "192.0.2."};
    return nets[rnd.nextInt(nets.length)] + (1 + rnd.nextInt(254));
  }
}
