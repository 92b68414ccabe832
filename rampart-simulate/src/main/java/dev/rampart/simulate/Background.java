package dev.rampart.simulate;

import dev.rampart.core.event.Event;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benign activity of an ordinary working day: programs starting, browsers talking to the
 * internet, logons and logoffs, admins using sudo, cron, and the DNS and connection logs of the
 * network sensor. The mix is weighted like a small office's logs, and none of it is an attack.
 */
final class Background {
  private record App(
      String image, String args, String parent, String originalName, String description) {}

  private static final List<App> APPS =
      List.of(
          new App(
              "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
              " --type=renderer --lang=en-US --field-trial-handle=%d",
              "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
              "chrome.exe",
              "Google Chrome"),
          new App(
              "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
              " --type=utility --utility-sub-type=network.mojom.NetworkService --field-trial-handle=%d",
              "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
              "msedge.exe",
              "Microsoft Edge"),
          new App(
              "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
              " /recycle",
              "C:\\Windows\\explorer.exe",
              "Outlook.exe",
              "Microsoft Outlook"),
          new App(
              "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
              " /dde",
              "C:\\Windows\\explorer.exe",
              "Excel.exe",
              "Microsoft Excel"),
          new App(
              "C:\\Windows\\System32\\svchost.exe",
              " -k netsvcs -p -s Schedule",
              "C:\\Windows\\System32\\services.exe",
              "svchost.exe",
              "Host Process for Windows Services"),
          new App(
              "C:\\Windows\\System32\\svchost.exe",
              " -k LocalServiceNetworkRestricted -p -s EventLog",
              "C:\\Windows\\System32\\services.exe",
              "svchost.exe",
              "Host Process for Windows Services"),
          new App(
              "C:\\Windows\\System32\\conhost.exe",
              " 0xffffffff -ForceV1",
              "C:\\Windows\\System32\\cmd.exe",
              "CONHOST.EXE",
              "Console Window Host"),
          new App(
              "C:\\Windows\\System32\\SearchProtocolHost.exe",
              " Global\\UsGthrFltPipeMssGthrPipe%d",
              "C:\\Windows\\System32\\SearchIndexer.exe",
              "searchprotocolhost.exe",
              "Microsoft Windows Search Protocol Host"),
          new App(
              "C:\\Windows\\System32\\RuntimeBroker.exe",
              " -Embedding",
              "C:\\Windows\\System32\\svchost.exe",
              "RuntimeBroker.exe",
              "Runtime Broker"),
          new App(
              "C:\\Windows\\System32\\taskhostw.exe",
              " {222A245B-E637-4AE9-A93F-A59CA119A75E}",
              "C:\\Windows\\System32\\svchost.exe",
              "taskhostw.exe",
              "Host Process for Windows Tasks"),
          new App(
              "C:\\Users\\%u\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
              " --type=gpu-process --field-trial-handle=%d",
              "C:\\Users\\%u\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
              "Teams.exe",
              "Microsoft Teams"),
          new App(
              "C:\\Users\\%u\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe",
              " /background", "C:\\Windows\\explorer.exe", "OneDrive.exe", "Microsoft OneDrive"),
          new App(
              "C:\\Windows\\System32\\notepad.exe",
              " C:\\Users\\%u\\Documents\\notes.txt",
              "C:\\Windows\\explorer.exe",
              "NOTEPAD.EXE",
              "Notepad"),
          new App(
              "C:\\Program Files\\Git\\cmd\\git.exe",
              " status --porcelain",
              "C:\\Users\\%u\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe",
              "git.exe",
              "Git for Windows"),
          new App(
              "C:\\Windows\\System32\\backgroundTaskHost.exe",
              " -ServerName:BackgroundTaskHost.WebAccountProvider",
              "C:\\Windows\\System32\\svchost.exe",
              "backgroundTaskHost.exe",
              "Background Task Host"));

  private static final String[] DOMAINS = {
    "www.google.com", "outlook.office365.com", "login.microsoftonline.com", "teams.microsoft.com",
    "github.com", "update.googleapis.com", "ctldl.windowsupdate.com", "www.bing.com",
    "settings-win.data.microsoft.com", "clients2.google.com", "slack.com", "zoom.us",
    "dc-01.corp.example", "srv-file01.corp.example", "wpad.corp.example", "intranet.corp.example"
  };

  private static final String[] SUDO = {
    "/usr/bin/apt update",
    "/usr/bin/systemctl restart nginx",
    "/usr/bin/journalctl -u nginx --since today",
    "/usr/bin/docker ps",
    "/usr/bin/tail -n 100 /var/log/syslog"
  };

  private final World world;
  private final Shapes shapes;
  private final SplittableRandom rnd;

  Background(World world, Shapes shapes, SplittableRandom rnd) {
    this.world = world;
    this.shapes = shapes;
    this.rnd = rnd;
  }

  /** Fills {@code e} with one benign event at time {@code t}. */
  void emit(Event e, long t) {
    // The mix of a real sensor feed: network and DNS dominate, process starts are rarer.
    int roll = rnd.nextInt(100);
    if (roll < 12) {
      process(e, t);
    } else if (roll < 30) {
      World.Host h = world.workstation(rnd);
      App app = APPS.get(rnd.nextInt(3));
      shapes.sysmonNetwork(
          e,
          t,
          h,
          app.image(),
          3000 + rnd.nextInt(20000),
          world.ownerOf(h),
          World.externalIp(rnd),
          443,
          "-");
    } else if (roll < 40) {
      World.Host h = world.workstation(rnd);
      shapes.sysmonDns(
          e,
          t,
          h,
          APPS.get(rnd.nextInt(3)).image(),
          3000 + rnd.nextInt(20000),
          DOMAINS[rnd.nextInt(DOMAINS.length)],
          "::ffff:" + World.externalIp(rnd) + ";");
    } else if (roll < 58) {
      World.Host h = rnd.nextInt(4) == 0 ? world.domainController : world.workstation(rnd);
      World.Host from = world.workstation(rnd);
      boolean network = rnd.nextBoolean();
      shapes.securityLogon(
          e,
          t,
          h,
          true,
          world.ownerOf(from),
          network ? 3 : 2,
          network ? from.ip() : "127.0.0.1",
          network ? 50_000 + rnd.nextInt(10_000) : 0,
          from.name(),
          network ? "-" : "C:\\Windows\\System32\\svchost.exe");
    } else if (roll < 63) {
      World.Host h = world.workstation(rnd);
      shapes.securityLogoff(e, t, h, world.ownerOf(h), rnd.nextBoolean() ? 3 : 2);
    } else if (roll < 66) {
      shapes.securitySpecialPrivileges(
          e, t, rnd.nextBoolean() ? world.domainController : world.windowsServer(rnd), "SYSTEM");
    } else if (roll < 71) {
      World.Host h = world.workstation(rnd);
      App app = APPS.get(rnd.nextInt(APPS.size()));
      String user = world.ownerOf(h);
      shapes.securityProcess(
          e,
          t,
          h,
          user,
          proc(app, user),
          new Shapes.Proc(
              app.parent().replace("%u", user),
              app.parent().replace("%u", user),
              1000 + rnd.nextInt(8000),
              "-"));
    } else if (roll < 74) {
      World.Host h = world.linuxHost(rnd);
      shapes.sshd(
          e,
          t,
          h,
          20_000 + rnd.nextInt(40_000),
          true,
          "publickey",
          rnd.nextBoolean() ? "deploy" : world.user(rnd),
          false,
          world.workstation(rnd).ip(),
          50_000 + rnd.nextInt(10_000));
    } else if (roll < 76) {
      World.Host h = world.linuxHost(rnd);
      shapes.sudo(e, t, h, world.user(rnd), SUDO[rnd.nextInt(SUDO.length)]);
    } else if (roll < 80) {
      shapes.cronSession(e, t, world.linuxHost(rnd), rnd.nextBoolean());
    } else if (roll < 89) {
      World.Host h = world.workstation(rnd);
      shapes.zeekDns(
          e,
          t,
          h.ip(),
          world.dnsServer,
          DOMAINS[rnd.nextInt(DOMAINS.length)],
          rnd.nextInt(5) == 0 ? "AAAA" : "A",
          "NOERROR",
          List.of(World.externalIp(rnd)));
    } else if (roll < 91) {
      cloud(e, t);
    } else {
      World.Host h = world.workstation(rnd);
      boolean web = rnd.nextInt(4) > 0;
      shapes.zeekConn(
          e,
          t,
          h.ip(),
          web ? World.externalIp(rnd) : world.windowsServer(rnd).ip(),
          web ? 443 : 445,
          web ? "ssl" : "smb",
          500 + rnd.nextInt(20_000),
          1000 + rnd.nextInt(200_000));
    }
  }

  private static final String[] CLOUD_APPS = {
    "Office 365 Exchange Online", "Microsoft Teams", "Office 365 SharePoint Online", "Azure Portal"
  };
  private static final String BROWSER =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";

  /**
   * Entra ID sign-ins (with a second factor; now and then a mistyped password, from the user's own
   * address) and Microsoft 365 work: mail read, files opened, messages sent, and the mailbox rules
   * people make to sort newsletters.
   */
  private void cloud(Event e, long t) {
    String user = world.user(rnd);
    String ip = rnd.nextBoolean() ? World.OFFICE_EGRESS : World.homeIp(user);
    int r = rnd.nextInt(20);
    if (r < 8) {
      boolean ok = rnd.nextInt(25) > 0;
      shapes.entraSignIn(
          e,
          t,
          user,
          ok ? ip : World.homeIp(user),
          ok,
          CLOUD_APPS[rnd.nextInt(CLOUD_APPS.length)],
          BROWSER,
          true,
          "NL");
    } else if (r < 13) {
      shapes.m365(e, t, "Exchange", 50, "MailItemsAccessed", user, ip, Shapes.upn(user), null);
    } else if (r < 16) {
      shapes.m365(
          e,
          t,
          "SharePoint",
          6,
          "FileAccessed",
          user,
          ip,
          "https://corp.sharepoint.example/sites/team/Shared Documents/plan-"
              + rnd.nextInt(90)
              + ".docx",
          null);
    } else if (r < 19) {
      shapes.m365(
          e, t, "MicrosoftTeams", 25, "MessageSent", user, ip, "19:meeting@thread.v2", null);
    } else {
      shapes.m365(
          e,
          t,
          "Exchange",
          1,
          "New-InboxRule",
          user,
          ip,
          Shapes.upn(user) + "\\Newsletters",
          new String[] {
            "Name", "Newsletters", "From", "news@vendor.example", "MoveToFolder", "Newsletters"
          });
    }
  }

  private void process(Event e, long t) {
    World.Host h = world.workstation(rnd);
    String user = world.ownerOf(h);
    App app = APPS.get(rnd.nextInt(APPS.size()));
    Shapes.Proc p = proc(app, user);
    String parentImage = app.parent().replace("%u", user);
    Shapes.Proc parent =
        new Shapes.Proc(
            parentImage, "\"" + parentImage + "\"", 1000 + rnd.nextInt(8000), shapes.guid());
    shapes.sysmonProcess(e, t, h, p, parent, user, "Medium", app.originalName(), app.description());
  }

  private Shapes.Proc proc(App app, String user) {
    String image = app.image().replace("%u", user);
    String args =
        app.args().replace("%u", user).replace("%d", Integer.toString(1000 + rnd.nextInt(9000)));
    return new Shapes.Proc(
        image, "\"" + image + "\"" + args, 1000 + rnd.nextInt(30000), shapes.guid());
  }
}
