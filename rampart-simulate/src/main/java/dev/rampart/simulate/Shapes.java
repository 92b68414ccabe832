package dev.rampart.simulate;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.core.normalize.WindowsNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds events in the native shapes of their sources: Windows events as the EVTX reader and
 * Windows normalizer render them (System values, then EventData names, then ECS), Linux auth lines
 * as syslog text plus the fields the sshd/sudo parsers extract, Zeek logs with Zeek's own names.
 * Every builder fills a reused {@link Event}, so generating costs no more than the strings.
 */
final class Shapes {
  static final EventSource SYSMON = new EventSource("simulate", "", "windows/sysmon");
  static final EventSource SECURITY = new EventSource("simulate", "", "windows/security");
  static final EventSource SYSTEM = new EventSource("simulate", "", "windows/system");
  static final EventSource POWERSHELL = new EventSource("simulate", "", "windows/powershell");
  static final EventSource AUTH = new EventSource("simulate", "", "linux/auth");
  static final EventSource ZEEK_DNS = new EventSource("simulate", "", "zeek/dns");
  static final EventSource ZEEK_CONN = new EventSource("simulate", "", "zeek/conn");

  private static final WindowsNormalizer WINDOWS = new WindowsNormalizer();
  // the cloud normalizers set the log types (azure/signinlogs, m365/audit) and the ECS fields
  static final EventSource CLOUD = new EventSource("simulate", "", "");
  private static final dev.rampart.core.normalize.AzureNormalizer AZURE =
      new dev.rampart.core.normalize.AzureNormalizer();
  private static final dev.rampart.core.normalize.M365Normalizer M365 =
      new dev.rampart.core.normalize.M365Normalizer();
  static final String TENANT = "3f0c2a5e-8d41-4b7a-9c16-5e2d7a10c0de";

  private static final String SYSMON_PROVIDER = "Microsoft-Windows-Sysmon";
  private static final String SYSMON_GUID = "5770385F-C22A-43E0-BF4C-06F5698FFBD9";
  private static final String SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational";
  private static final String SECURITY_PROVIDER = "Microsoft-Windows-Security-Auditing";
  private static final String SECURITY_GUID = "54849625-5478-4994-A5BA-3E3B0328C30D";

  private static int id(String name) {
    return FieldNames.id(name);
  }

  static final int PROVIDER_NAME = id("Provider_Name");
  static final int PROVIDER_GUID = id("Provider_Guid");
  static final int EVENT_ID = id("EventID");
  static final int VERSION = id("Version");
  static final int LEVEL = id("Level");
  static final int TASK = id("Task");
  static final int OPCODE = id("Opcode");
  static final int KEYWORDS = id("Keywords");
  static final int RECORD_ID = id("EventRecordID");
  static final int EXEC_PID = id("Execution_ProcessID");
  static final int EXEC_TID = id("Execution_ThreadID");
  static final int CHANNEL = id("Channel");
  static final int COMPUTER = id("Computer");
  static final int SECURITY_USER = id("Security_UserID");
  static final int EVENT_ID_ECS = id("event.id");
  static final int MESSAGE = id("message");
  static final int ORIGINAL = id("event.original");

  // Field ids, interned once: a symbol-table lookup per field per event would cost more than the
  // event.
  private static final int F_RULE_NAME = id("RuleName");
  private static final int F_UTC_TIME = id("UtcTime");
  private static final int F_PROCESS_GUID = id("ProcessGuid");
  private static final int F_PROCESS_ID = id("ProcessId");
  private static final int F_IMAGE = id("Image");
  private static final int F_FILE_VERSION = id("FileVersion");
  private static final int F_DESCRIPTION = id("Description");
  private static final int F_PRODUCT = id("Product");
  private static final int F_COMPANY = id("Company");
  private static final int F_ORIGINAL_FILE_NAME = id("OriginalFileName");
  private static final int F_COMMAND_LINE = id("CommandLine");
  private static final int F_CURRENT_DIRECTORY = id("CurrentDirectory");
  private static final int F_USER = id("User");
  private static final int F_LOGON_GUID = id("LogonGuid");
  private static final int F_LOGON_ID = id("LogonId");
  private static final int F_TERMINAL_SESSION_ID = id("TerminalSessionId");
  private static final int F_INTEGRITY_LEVEL = id("IntegrityLevel");
  private static final int F_HASHES = id("Hashes");
  private static final int F_PARENT_PROCESS_GUID = id("ParentProcessGuid");
  private static final int F_PARENT_PROCESS_ID = id("ParentProcessId");
  private static final int F_PARENT_IMAGE = id("ParentImage");
  private static final int F_PARENT_COMMAND_LINE = id("ParentCommandLine");
  private static final int F_PARENT_USER = id("ParentUser");
  private static final int F_PROTOCOL = id("Protocol");
  private static final int F_INITIATED = id("Initiated");
  private static final int F_SOURCE_IS_IPV6 = id("SourceIsIpv6");
  private static final int F_SOURCE_IP = id("SourceIp");
  private static final int F_SOURCE_HOSTNAME = id("SourceHostname");
  private static final int F_SOURCE_PORT = id("SourcePort");
  private static final int F_SOURCE_PORT_NAME = id("SourcePortName");
  private static final int F_DESTINATION_IS_IPV6 = id("DestinationIsIpv6");
  private static final int F_DESTINATION_IP = id("DestinationIp");
  private static final int F_DESTINATION_HOSTNAME = id("DestinationHostname");
  private static final int F_DESTINATION_PORT = id("DestinationPort");
  private static final int F_DESTINATION_PORT_NAME = id("DestinationPortName");
  private static final int F_QUERY_NAME = id("QueryName");
  private static final int F_QUERY_STATUS = id("QueryStatus");
  private static final int F_QUERY_RESULTS = id("QueryResults");
  private static final int F_SOURCE_PROCESS_GUID = id("SourceProcessGUID");
  private static final int F_SOURCE_PROCESS_ID = id("SourceProcessId");
  private static final int F_SOURCE_THREAD_ID = id("SourceThreadId");
  private static final int F_SOURCE_IMAGE = id("SourceImage");
  private static final int F_TARGET_PROCESS_GUID = id("TargetProcessGUID");
  private static final int F_TARGET_PROCESS_ID = id("TargetProcessId");
  private static final int F_TARGET_IMAGE = id("TargetImage");
  private static final int F_GRANTED_ACCESS = id("GrantedAccess");
  private static final int F_CALL_TRACE = id("CallTrace");
  private static final int F_SOURCE_USER = id("SourceUser");
  private static final int F_TARGET_USER = id("TargetUser");
  private static final int F_EVENT_TYPE = id("EventType");
  private static final int F_PIPE_NAME = id("PipeName");
  private static final int F_TARGET_FILENAME = id("TargetFilename");
  private static final int F_CREATION_UTC_TIME = id("CreationUtcTime");
  private static final int F_SUBJECT_USER_SID = id("SubjectUserSid");
  private static final int F_SUBJECT_USER_NAME = id("SubjectUserName");
  private static final int F_SUBJECT_DOMAIN_NAME = id("SubjectDomainName");
  private static final int F_SUBJECT_LOGON_ID = id("SubjectLogonId");
  private static final int F_TARGET_USER_NAME = id("TargetUserName");
  private static final int F_TARGET_DOMAIN_NAME = id("TargetDomainName");
  private static final int F_TARGET_LOGON_ID = id("TargetLogonId");
  private static final int F_STATUS = id("Status");
  private static final int F_FAILURE_REASON = id("FailureReason");
  private static final int F_SUB_STATUS = id("SubStatus");
  private static final int F_LOGON_TYPE = id("LogonType");
  private static final int F_LOGON_PROCESS_NAME = id("LogonProcessName");
  private static final int F_AUTHENTICATION_PACKAGE_NAME = id("AuthenticationPackageName");
  private static final int F_WORKSTATION_NAME = id("WorkstationName");
  private static final int F_TRANSMITTED_SERVICES = id("TransmittedServices");
  private static final int F_LM_PACKAGE_NAME = id("LmPackageName");
  private static final int F_KEY_LENGTH = id("KeyLength");
  private static final int F_PROCESS_NAME = id("ProcessName");
  private static final int F_IP_ADDRESS = id("IpAddress");
  private static final int F_IP_PORT = id("IpPort");
  private static final int F_NEW_PROCESS_ID = id("NewProcessId");
  private static final int F_NEW_PROCESS_NAME = id("NewProcessName");
  private static final int F_TOKEN_ELEVATION_TYPE = id("TokenElevationType");
  private static final int F_TARGET_USER_SID = id("TargetUserSid");
  private static final int F_PARENT_PROCESS_NAME = id("ParentProcessName");
  private static final int F_MANDATORY_LABEL = id("MandatoryLabel");
  private static final int F_TASK_NAME = id("TaskName");
  private static final int F_OBJECT_TYPE = id("ObjectType");
  private static final int F_SHARE_NAME = id("ShareName");
  private static final int F_RELATIVE_TARGET_NAME = id("RelativeTargetName");
  private static final int F_ACCESS_MASK = id("AccessMask");
  private static final int F_ACCESS_LIST = id("AccessList");
  private static final int F_QUALIFIERS = id("Qualifiers");
  private static final int F_SERVICE_NAME = id("ServiceName");
  private static final int F_IMAGE_PATH = id("ImagePath");
  private static final int F_SERVICE_TYPE = id("ServiceType");
  private static final int F_START_TYPE = id("StartType");
  private static final int F_ACCOUNT_NAME = id("AccountName");
  private static final int F_TRANS_ID = id("trans_id");
  private static final int F_RTT = id("rtt");
  private static final int F_QUERY = id("query");
  private static final int F_QCLASS = id("qclass");
  private static final int F_QCLASS_NAME = id("qclass_name");
  private static final int F_QTYPE = id("qtype");
  private static final int F_QTYPE_NAME = id("qtype_name");
  private static final int F_RCODE = id("rcode");
  private static final int F_RCODE_NAME = id("rcode_name");
  private static final int F_AA = id("AA");
  private static final int F_TC = id("TC");
  private static final int F_RD = id("RD");
  private static final int F_RA = id("RA");
  private static final int F_Z = id("Z");
  private static final int F_ANSWERS = id("answers");
  private static final int F_TTLS = id("TTLs");
  private static final int F_REJECTED = id("rejected");
  private static final int F_DNS_QUESTION_NAME = id("dns.question.name");
  private static final int F_DNS_QUESTION_TYPE = id("dns.question.type");
  private static final int F_DNS_RESPONSE_CODE = id("dns.response_code");
  private static final int F_SERVICE = id("service");
  private static final int F_DURATION = id("duration");
  private static final int F_ORIG_BYTES = id("orig_bytes");
  private static final int F_RESP_BYTES = id("resp_bytes");
  private static final int F_CONN_STATE = id("conn_state");
  private static final int F_LOCAL_ORIG = id("local_orig");
  private static final int F_LOCAL_RESP = id("local_resp");
  private static final int F_MISSED_BYTES = id("missed_bytes");
  private static final int F_HISTORY = id("history");
  private static final int F_ORIG_PKTS = id("orig_pkts");
  private static final int F_RESP_PKTS = id("resp_pkts");

  private final SplittableRandom rnd;
  private final World world;
  private final long[] recordIds = new long[4096];

  Shapes(World world, SplittableRandom rnd) {
    this.world = world;
    this.rnd = rnd;
  }

  private long nextRecordId(String host) {
    int slot = Math.floorMod(host.hashCode(), recordIds.length);
    if (recordIds[slot] == 0) {
      recordIds[slot] = 10_000 + rnd.nextInt(1_000_000);
    }
    return ++recordIds[slot];
  }

  private void windowsHeader(
      Event e,
      long t,
      String provider,
      String guid,
      int eventId,
      int version,
      int task,
      String channel,
      World.Host host,
      String keywords,
      String userSid) {
    e.timestamp(t);
    e.addString(PROVIDER_NAME, provider);
    if (guid != null) {
      e.addString(PROVIDER_GUID, guid);
    }
    e.addLong(EVENT_ID, eventId);
    e.addLong(VERSION, version);
    e.addLong(LEVEL, 4);
    e.addLong(TASK, task);
    e.addLong(OPCODE, 0);
    e.addString(KEYWORDS, keywords);
    e.addLong(RECORD_ID, nextRecordId(host.name()));
    e.addLong(EXEC_PID, 2000 + rnd.nextInt(2000));
    e.addLong(EXEC_TID, 3000 + rnd.nextInt(6000));
    e.addString(CHANNEL, channel);
    e.addString(COMPUTER, host.fqdn());
    if (userSid != null) {
      e.addString(SECURITY_USER, userSid);
    }
  }

  /** Runs the Windows normalizer, which adds the ECS fields beside the native ones. */
  private static void finishWindows(Event e) {
    WINDOWS.normalize(e);
  }

  private void sysmonHeader(Event e, long t, int eventId, int version, World.Host h) {
    e.source(SYSMON);
    windowsHeader(
        e,
        t,
        SYSMON_PROVIDER,
        SYSMON_GUID,
        eventId,
        version,
        eventId,
        SYSMON_CHANNEL,
        h,
        "0x8000000000000000",
        "S-1-5-18");
    e.addString(F_RULE_NAME, "-");
    e.addString(F_UTC_TIME, utcTime(t));
  }

  /** Sysmon's UtcTime: {@code 2026-01-05 09:14:03.120} (milliseconds, a space, no zone). */
  static String utcTime(long t) {
    StringBuilder sb = new StringBuilder(30);
    Timestamps.appendTo(sb, t - Math.floorMod(t, 1_000_000L));
    sb.setCharAt(10, ' ');
    sb.setLength(sb.length() - 1);
    if (sb.length() == 19) {
      sb.append(".000");
    }
    return sb.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private static void hex(char[] out, int at, long v, int digits, char[] alphabet) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = alphabet[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  /** A braced GUID such as Sysmon writes. */
  String guid() {
    long a = rnd.nextLong();
    long b = rnd.nextLong();
    char[] c = new char[38];
    c[0] = '{';
    hex(c, 1, a >>> 32, 8, HEX);
    c[9] = '-';
    hex(c, 10, a >>> 16, 4, HEX);
    c[14] = '-';
    hex(c, 15, a, 4, HEX);
    c[19] = '-';
    hex(c, 20, b >>> 48, 4, HEX);
    c[24] = '-';
    hex(c, 25, b, 12, HEX);
    c[37] = '}';
    return new String(c);
  }

  static String sha256(SplittableRandom rnd) {
    char[] c = new char[64];
    for (int i = 0; i < 4; i++) {
      hex(c, i * 16, rnd.nextLong(), 16, HEX_UPPER);
    }
    return new String(c);
  }

  record Proc(String image, String commandLine, int pid, String guid) {}

  /** Sysmon 1: process creation. */
  void sysmonProcess(
      Event e,
      long t,
      World.Host h,
      Proc p,
      Proc parent,
      String user,
      String integrity,
      String originalFileName,
      String description) {
    sysmonHeader(e, t, 1, 5, h);
    e.addString(F_PROCESS_GUID, p.guid());
    e.addLong(F_PROCESS_ID, p.pid());
    e.addString(F_IMAGE, p.image());
    e.addString(F_FILE_VERSION, "10.0.19041.1 (WinBuild.160101.0800)");
    e.addString(F_DESCRIPTION, description);
    e.addString(F_PRODUCT, "Microsoft® Windows® Operating System");
    e.addString(F_COMPANY, "Microsoft Corporation");
    e.addString(F_ORIGINAL_FILE_NAME, originalFileName);
    e.addString(F_COMMAND_LINE, p.commandLine());
    e.addString(F_CURRENT_DIRECTORY, "C:\\Users\\" + user + "\\");
    e.addString(F_USER, world.qualified(user));
    e.addString(F_LOGON_GUID, guid());
    e.addString(F_LOGON_ID, "0x" + Long.toHexString(0x100000 + rnd.nextInt(0xffffff)));
    e.addLong(F_TERMINAL_SESSION_ID, 1);
    e.addString(F_INTEGRITY_LEVEL, integrity);
    e.addString(F_HASHES, "SHA256=" + sha256(rnd));
    e.addString(F_PARENT_PROCESS_GUID, parent.guid());
    e.addLong(F_PARENT_PROCESS_ID, parent.pid());
    e.addString(F_PARENT_IMAGE, parent.image());
    e.addString(F_PARENT_COMMAND_LINE, parent.commandLine());
    e.addString(F_PARENT_USER, world.qualified(user));
    finishWindows(e);
  }

  /** Sysmon 3: network connection. */
  void sysmonNetwork(
      Event e,
      long t,
      World.Host h,
      String image,
      int pid,
      String user,
      String dstIp,
      int dstPort,
      String dstHost) {
    sysmonHeader(e, t, 3, 5, h);
    e.addString(F_PROCESS_GUID, guid());
    e.addLong(F_PROCESS_ID, pid);
    e.addString(F_IMAGE, image);
    e.addString(F_USER, world.qualified(user));
    e.addString(F_PROTOCOL, "tcp");
    e.addBoolean(F_INITIATED, true);
    e.addBoolean(F_SOURCE_IS_IPV6, false);
    e.addString(F_SOURCE_IP, h.ip());
    e.addString(F_SOURCE_HOSTNAME, h.fqdn());
    e.addLong(F_SOURCE_PORT, 49152 + rnd.nextInt(16000));
    e.addString(F_SOURCE_PORT_NAME, "-");
    e.addBoolean(F_DESTINATION_IS_IPV6, false);
    e.addString(F_DESTINATION_IP, dstIp);
    e.addString(F_DESTINATION_HOSTNAME, dstHost);
    e.addLong(F_DESTINATION_PORT, dstPort);
    e.addString(F_DESTINATION_PORT_NAME, dstPort == 443 ? "https" : dstPort == 80 ? "http" : "-");
    finishWindows(e);
  }

  /** Sysmon 22: DNS query. */
  void sysmonDns(
      Event e, long t, World.Host h, String image, int pid, String query, String result) {
    sysmonHeader(e, t, 22, 5, h);
    e.addString(F_PROCESS_GUID, guid());
    e.addLong(F_PROCESS_ID, pid);
    e.addString(F_QUERY_NAME, query);
    e.addString(F_QUERY_STATUS, "0");
    e.addString(F_QUERY_RESULTS, result);
    e.addString(F_IMAGE, image);
    e.addString(F_USER, World.DOMAIN + "\\" + "SYSTEM");
    finishWindows(e);
  }

  /** Sysmon 10: process access. */
  void sysmonProcessAccess(
      Event e,
      long t,
      World.Host h,
      String sourceImage,
      int sourcePid,
      String targetImage,
      int targetPid,
      String grantedAccess,
      String callTrace,
      String user) {
    sysmonHeader(e, t, 10, 3, h);
    e.addString(F_SOURCE_PROCESS_GUID, guid());
    e.addLong(F_SOURCE_PROCESS_ID, sourcePid);
    e.addLong(F_SOURCE_THREAD_ID, 4000 + rnd.nextInt(4000));
    e.addString(F_SOURCE_IMAGE, sourceImage);
    e.addString(F_TARGET_PROCESS_GUID, guid());
    e.addLong(F_TARGET_PROCESS_ID, targetPid);
    e.addString(F_TARGET_IMAGE, targetImage);
    e.addString(F_GRANTED_ACCESS, grantedAccess);
    e.addString(F_CALL_TRACE, callTrace);
    e.addString(F_SOURCE_USER, world.qualified(user));
    e.addString(F_TARGET_USER, "NT AUTHORITY\\SYSTEM");
    finishWindows(e);
  }

  /** Sysmon 17: named pipe created. */
  void sysmonPipe(Event e, long t, World.Host h, String pipe, String image, int pid) {
    sysmonHeader(e, t, 17, 1, h);
    e.addString(F_EVENT_TYPE, "CreatePipe");
    e.addString(F_PROCESS_GUID, guid());
    e.addLong(F_PROCESS_ID, pid);
    e.addString(F_PIPE_NAME, pipe);
    e.addString(F_IMAGE, image);
    e.addString(F_USER, "NT AUTHORITY\\SYSTEM");
    finishWindows(e);
  }

  /** Sysmon 11: file created. */
  void sysmonFile(
      Event e, long t, World.Host h, String image, int pid, String target, String user) {
    sysmonHeader(e, t, 11, 2, h);
    e.addString(F_PROCESS_GUID, guid());
    e.addLong(F_PROCESS_ID, pid);
    e.addString(F_IMAGE, image);
    e.addString(F_TARGET_FILENAME, target);
    e.addString(F_CREATION_UTC_TIME, utcTime(t));
    e.addString(F_USER, world.qualified(user));
    finishWindows(e);
  }

  private void securityHeader(
      Event e, long t, int eventId, int version, int task, World.Host h, String keywords) {
    e.source(SECURITY);
    windowsHeader(
        e,
        t,
        SECURITY_PROVIDER,
        SECURITY_GUID,
        eventId,
        version,
        task,
        "Security",
        h,
        keywords,
        null);
  }

  private static final String AUDIT_SUCCESS = "0x8020000000000000";
  private static final String AUDIT_FAILURE = "0x8010000000000000";

  /** 4624 (success) or 4625 (failure): a logon. */
  void securityLogon(
      Event e,
      long t,
      World.Host h,
      boolean success,
      String user,
      int logonType,
      String ip,
      int port,
      String workstation,
      String process) {
    securityHeader(
        e,
        t,
        success ? 4624 : 4625,
        success ? 2 : 0,
        12544,
        h,
        success ? AUDIT_SUCCESS : AUDIT_FAILURE);
    e.addString(F_SUBJECT_USER_SID, success ? "S-1-0-0" : "S-1-5-18");
    e.addString(F_SUBJECT_USER_NAME, success ? "-" : h.name() + "$");
    e.addString(F_SUBJECT_DOMAIN_NAME, success ? "-" : World.DOMAIN);
    e.addString(F_SUBJECT_LOGON_ID, success ? "0x0" : "0x3e7");
    e.addString(
        id("TargetUserSid"),
        success
            ? "S-1-5-21-3623811015-3361044348-30300820-"
                + (1100 + Math.floorMod(user.hashCode(), 800))
            : "S-1-0-0");
    e.addString(F_TARGET_USER_NAME, user);
    e.addString(F_TARGET_DOMAIN_NAME, World.DOMAIN);
    if (success) {
      e.addString(F_TARGET_LOGON_ID, "0x" + Long.toHexString(0x200000 + rnd.nextInt(0xffffff)));
    } else {
      e.addString(F_STATUS, "0xc000006d");
      e.addString(F_FAILURE_REASON, "%%2313");
      e.addString(F_SUB_STATUS, "0xc000006a");
    }
    e.addLong(F_LOGON_TYPE, logonType);
    e.addString(F_LOGON_PROCESS_NAME, logonType == 3 ? "NtLmSsp " : "User32 ");
    e.addString(F_AUTHENTICATION_PACKAGE_NAME, logonType == 3 ? "NTLM" : "Negotiate");
    e.addString(F_WORKSTATION_NAME, workstation);
    if (success) {
      e.addString(F_LOGON_GUID, "{00000000-0000-0000-0000-000000000000}");
    }
    e.addString(F_TRANSMITTED_SERVICES, "-");
    e.addString(F_LM_PACKAGE_NAME, logonType == 3 ? "NTLM V2" : "-");
    e.addLong(F_KEY_LENGTH, logonType == 3 ? 128 : 0);
    e.addString(F_PROCESS_ID, "0x0");
    e.addString(F_PROCESS_NAME, process);
    e.addString(F_IP_ADDRESS, ip);
    e.addString(F_IP_PORT, Integer.toString(port));
    finishWindows(e);
  }

  /** 4634: logoff. */
  void securityLogoff(Event e, long t, World.Host h, String user, int logonType) {
    securityHeader(e, t, 4634, 0, 12545, h, AUDIT_SUCCESS);
    e.addString(
        id("TargetUserSid"),
        "S-1-5-21-3623811015-3361044348-30300820-" + (1100 + Math.floorMod(user.hashCode(), 800)));
    e.addString(F_TARGET_USER_NAME, user);
    e.addString(F_TARGET_DOMAIN_NAME, World.DOMAIN);
    e.addString(F_TARGET_LOGON_ID, "0x" + Long.toHexString(0x200000 + rnd.nextInt(0xffffff)));
    e.addLong(F_LOGON_TYPE, logonType);
    finishWindows(e);
  }

  /** 4672: special privileges assigned to a new logon. */
  void securitySpecialPrivileges(Event e, long t, World.Host h, String user) {
    securityHeader(e, t, 4672, 0, 12548, h, AUDIT_SUCCESS);
    e.addString(F_SUBJECT_USER_SID, "S-1-5-18");
    e.addString(F_SUBJECT_USER_NAME, user);
    e.addString(F_SUBJECT_DOMAIN_NAME, World.DOMAIN);
    e.addString(F_SUBJECT_LOGON_ID, "0x3e7");
    e.addString(
        id("PrivilegeList"),
        "SeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege\r\n\t\t\tSeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeDebugPrivilege");
    finishWindows(e);
  }

  /** 4688: process creation (Security log). */
  void securityProcess(Event e, long t, World.Host h, String user, Proc p, Proc parent) {
    securityHeader(e, t, 4688, 2, 13312, h, AUDIT_SUCCESS);
    e.addString(F_SUBJECT_USER_SID, "S-1-5-21-3623811015-3361044348-30300820-1104");
    e.addString(F_SUBJECT_USER_NAME, user);
    e.addString(F_SUBJECT_DOMAIN_NAME, World.DOMAIN);
    e.addString(F_SUBJECT_LOGON_ID, "0x" + Long.toHexString(0x200000 + rnd.nextInt(0xffffff)));
    e.addString(F_NEW_PROCESS_ID, "0x" + Integer.toHexString(p.pid()));
    e.addString(F_NEW_PROCESS_NAME, p.image());
    e.addString(F_TOKEN_ELEVATION_TYPE, "%%1938");
    e.addString(F_PROCESS_ID, "0x" + Integer.toHexString(parent.pid()));
    e.addString(F_COMMAND_LINE, p.commandLine());
    e.addString(F_TARGET_USER_SID, "S-1-0-0");
    e.addString(F_TARGET_USER_NAME, "-");
    e.addString(F_TARGET_DOMAIN_NAME, "-");
    e.addString(F_TARGET_LOGON_ID, "0x0");
    e.addString(F_PARENT_PROCESS_NAME, parent.image());
    e.addString(F_MANDATORY_LABEL, "S-1-16-8192");
    finishWindows(e);
  }

  /** 4698: a scheduled task was created. */
  void securityTaskCreated(
      Event e,
      long t,
      World.Host h,
      String user,
      String taskName,
      String command,
      String arguments) {
    securityHeader(e, t, 4698, 1, 12804, h, AUDIT_SUCCESS);
    e.addString(F_SUBJECT_USER_SID, "S-1-5-21-3623811015-3361044348-30300820-1104");
    e.addString(F_SUBJECT_USER_NAME, user);
    e.addString(F_SUBJECT_DOMAIN_NAME, World.DOMAIN);
    e.addString(F_SUBJECT_LOGON_ID, "0x" + Long.toHexString(0x200000 + rnd.nextInt(0xffffff)));
    e.addString(F_TASK_NAME, taskName);
    e.addString(
        id("TaskContent"),
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n"
            + "  <Triggers>\r\n    <LogonTrigger>\r\n      <Enabled>true</Enabled>\r\n    </LogonTrigger>\r\n  </Triggers>\r\n"
            + "  <Principals>\r\n    <Principal id=\"Author\">\r\n      <UserId>S-1-5-18</UserId>\r\n      <RunLevel>HighestAvailable</RunLevel>\r\n    </Principal>\r\n  </Principals>\r\n"
            + "  <Actions Context=\"Author\">\r\n    <Exec>\r\n      <Command>"
            + command
            + "</Command>\r\n"
            + (arguments.isEmpty() ? "" : "      <Arguments>" + arguments + "</Arguments>\r\n")
            + "    </Exec>\r\n  </Actions>\r\n</Task>");
    finishWindows(e);
  }

  /** 5140 / 5145: a network share was accessed. */
  void securityShare(
      Event e,
      long t,
      World.Host h,
      boolean detailed,
      String user,
      String ip,
      String share,
      String relativeTarget) {
    securityHeader(e, t, detailed ? 5145 : 5140, 1, 12808, h, AUDIT_SUCCESS);
    e.addString(F_SUBJECT_USER_SID, "S-1-5-21-3623811015-3361044348-30300820-1104");
    e.addString(F_SUBJECT_USER_NAME, user);
    e.addString(F_SUBJECT_DOMAIN_NAME, World.DOMAIN);
    e.addString(F_SUBJECT_LOGON_ID, "0x" + Long.toHexString(0x200000 + rnd.nextInt(0xffffff)));
    e.addString(F_OBJECT_TYPE, "File");
    e.addString(F_IP_ADDRESS, ip);
    e.addLong(F_IP_PORT, 49152 + rnd.nextInt(16000));
    e.addString(F_SHARE_NAME, "\\\\*\\" + share);
    e.addString(
        id("ShareLocalPath"),
        share.equals("ADMIN$") ? "\\??\\C:\\Windows" : "\\??\\C:\\Shares\\" + share);
    if (detailed) {
      e.addString(F_RELATIVE_TARGET_NAME, relativeTarget);
      e.addString(F_ACCESS_MASK, "0x2");
      e.addString(F_ACCESS_LIST, "%%4417");
    } else {
      e.addString(F_ACCESS_MASK, "0x1");
      e.addString(F_ACCESS_LIST, "%%4416");
    }
    finishWindows(e);
  }

  /** System 7045: a service was installed. */
  void systemServiceInstalled(
      Event e, long t, World.Host h, String serviceName, String imagePath, String account) {
    e.source(SYSTEM);
    windowsHeader(
        e,
        t,
        "Service Control Manager",
        "555908D1-A6D7-4695-8E1E-26931D2012F4",
        7045,
        0,
        0,
        "System",
        h,
        "0x8080000000000000",
        "S-1-5-21-3623811015-3361044348-30300820-500");
    e.addLong(F_QUALIFIERS, 16384);
    e.addString(F_SERVICE_NAME, serviceName);
    e.addString(F_IMAGE_PATH, imagePath);
    e.addString(F_SERVICE_TYPE, "user mode service");
    e.addString(F_START_TYPE, "demand start");
    e.addString(F_ACCOUNT_NAME, account);
    finishWindows(e);
  }

  // ---- Linux ----

  private static final int ECS_HOST_NAME = id("host.name");
  private static final int ECS_PROCESS_NAME = id("process.name");
  private static final int ECS_PROCESS_PID = id("process.pid");
  private static final int ECS_USER_NAME = id("user.name");
  private static final int ECS_SOURCE_IP = id("source.ip");
  private static final int ECS_SOURCE_PORT = id("source.port");
  private static final int ECS_OUTCOME = id("event.outcome");
  private static final int ECS_CATEGORY = id("event.category");
  private static final int ECS_TYPE = id("event.type");
  private static final int ECS_ACTION = id("event.action");
  private static final int ECS_EFFECTIVE_USER = id("user.effective.name");
  private static final int ECS_COMMAND_LINE = id("process.command_line");
  private static final int SYSLOG_APPNAME = id("log.syslog.appname");
  private static final int SYSLOG_HOSTNAME = id("log.syslog.hostname");
  private static final List<Value> AUTHENTICATION = List.of(new Value.Str("authentication"));
  private static final List<Value> PROCESS = List.of(new Value.Str("process"));
  private static final List<Value> START = List.of(new Value.Str("start"));
  private static final List<Value> INFO = List.of(new Value.Str("info"));

  /** A line of /var/log/auth.log as rsyslog writes it, with what the auth parsers extract. */
  void linuxAuth(Event e, long t, World.Host h, String program, int pid, String message) {
    e.source(AUTH);
    e.timestamp(t);
    String line = syslogTimestamp(t) + " " + h.name() + " " + program + "[" + pid + "]: " + message;
    e.addString(MESSAGE, message);
    e.addString(ORIGINAL, line);
    e.addString(ECS_HOST_NAME, h.name());
    e.addString(SYSLOG_HOSTNAME, h.name());
    e.addString(SYSLOG_APPNAME, program);
    e.addString(ECS_PROCESS_NAME, program);
    e.addLong(ECS_PROCESS_PID, pid);
  }

  void sshd(
      Event e,
      long t,
      World.Host h,
      int pid,
      boolean success,
      String method,
      String user,
      boolean invalidUser,
      String ip,
      int port) {
    String msg =
        (success ? "Accepted " : "Failed ")
            + method
            + " for "
            + (invalidUser ? "invalid user " : "")
            + user
            + " from "
            + ip
            + " port "
            + port
            + " ssh2";
    linuxAuth(e, t, h, "sshd", pid, msg);
    e.addString(ECS_USER_NAME, user);
    e.addIp(ECS_SOURCE_IP, IpAddress.parse(ip));
    e.addLong(ECS_SOURCE_PORT, port);
    e.addString(ECS_ACTION, success ? "ssh_login" : "ssh_login_failed");
    e.addList(ECS_CATEGORY, AUTHENTICATION);
    e.addList(ECS_TYPE, success ? START : INFO);
    e.addString(ECS_OUTCOME, success ? "success" : "failure");
  }

  void sudo(Event e, long t, World.Host h, String user, String command) {
    String msg =
        "  " + user + " : TTY=pts/0 ; PWD=/home/" + user + " ; USER=root ; COMMAND=" + command;
    linuxAuth(e, t, h, "sudo", 10000 + rnd.nextInt(50000), msg);
    e.addString(ECS_USER_NAME, user);
    e.addString(ECS_EFFECTIVE_USER, "root");
    e.addString(ECS_COMMAND_LINE, command);
    e.addString(ECS_ACTION, "sudo");
    e.addList(ECS_CATEGORY, PROCESS);
    e.addList(ECS_TYPE, START);
  }

  void cronSession(Event e, long t, World.Host h, boolean open) {
    linuxAuth(
        e,
        t,
        h,
        "CRON",
        20000 + rnd.nextInt(40000),
        "pam_unix(cron:session): session "
            + (open ? "opened for user root(uid=0) by (uid=0)" : "closed for user root"));
    e.addString(ECS_USER_NAME, "root");
  }

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  static String syslogTimestamp(long t) {
    String iso = Timestamps.format(t); // 2026-01-05T09:14:03...
    int month = Integer.parseInt(iso.substring(5, 7));
    int day = Integer.parseInt(iso.substring(8, 10));
    return MONTHS[month - 1] + (day < 10 ? "  " : " ") + day + " " + iso.substring(11, 19);
  }

  // ---- Zeek ----

  private static final int ZEEK_TS = id("ts");
  private static final int ZEEK_UID = id("uid");
  private static final int ZEEK_ORIG_H = id("id.orig_h");
  private static final int ZEEK_ORIG_P = id("id.orig_p");
  private static final int ZEEK_RESP_H = id("id.resp_h");
  private static final int ZEEK_RESP_P = id("id.resp_p");
  private static final int ZEEK_PROTO = id("proto");
  private static final int ECS_DEST_IP = id("destination.ip");
  private static final int ECS_DEST_PORT = id("destination.port");
  private static final int ECS_TRANSPORT = id("network.transport");

  private void zeekHeader(
      Event e, long t, String origIp, int origPort, String respIp, int respPort, String proto) {
    e.timestamp(t);
    e.addDouble(ZEEK_TS, t / 1e9);
    e.addString(ZEEK_UID, zeekUid());
    e.addString(ZEEK_ORIG_H, origIp);
    e.addLong(ZEEK_ORIG_P, origPort);
    e.addString(ZEEK_RESP_H, respIp);
    e.addLong(ZEEK_RESP_P, respPort);
    e.addString(ZEEK_PROTO, proto);
  }

  private void zeekEcs(
      Event e, String origIp, int origPort, String respIp, int respPort, String proto) {
    e.addIp(ECS_SOURCE_IP, IpAddress.parse(origIp));
    e.addLong(ECS_SOURCE_PORT, origPort);
    e.addIp(ECS_DEST_IP, IpAddress.parse(respIp));
    e.addLong(ECS_DEST_PORT, respPort);
    e.addString(ECS_TRANSPORT, proto);
  }

  private static final char[] UID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private String zeekUid() {
    char[] c = new char[18];
    c[0] = 'C';
    for (int i = 1; i < c.length; i++) {
      c[i] = UID_CHARS[rnd.nextInt(UID_CHARS.length)];
    }
    return new String(c);
  }

  void zeekDns(
      Event e,
      long t,
      String clientIp,
      String serverIp,
      String query,
      String qtype,
      String rcode,
      List<String> answers) {
    e.source(ZEEK_DNS);
    int port = 49152 + rnd.nextInt(16000);
    zeekHeader(e, t, clientIp, port, serverIp, 53, "udp");
    e.addLong(F_TRANS_ID, rnd.nextInt(65536));
    e.addDouble(F_RTT, Math.round(rnd.nextDouble() * 50_000) / 1e6);
    e.addString(F_QUERY, query);
    e.addLong(F_QCLASS, 1);
    e.addString(F_QCLASS_NAME, "C_INTERNET");
    e.addLong(F_QTYPE, qtype.equals("AAAA") ? 28 : qtype.equals("TXT") ? 16 : 1);
    e.addString(F_QTYPE_NAME, qtype);
    e.addLong(F_RCODE, rcode.equals("NOERROR") ? 0 : 3);
    e.addString(F_RCODE_NAME, rcode);
    e.addBoolean(F_AA, false);
    e.addBoolean(F_TC, false);
    e.addBoolean(F_RD, true);
    e.addBoolean(F_RA, true);
    e.addLong(F_Z, 0);
    List<Value> ans = new ArrayList<>(answers.size());
    List<Value> ttls = new ArrayList<>(answers.size());
    for (String a : answers) {
      ans.add(new Value.Str(a));
      ttls.add(new Value.Float64(300.0));
    }
    if (!answers.isEmpty()) {
      e.addList(F_ANSWERS, ans);
      e.addList(F_TTLS, ttls);
    }
    e.addBoolean(F_REJECTED, false);
    zeekEcs(e, clientIp, port, serverIp, 53, "udp");
    e.addString(F_DNS_QUESTION_NAME, query);
    e.addString(F_DNS_QUESTION_TYPE, qtype);
    e.addString(F_DNS_RESPONSE_CODE, rcode);
  }

  void zeekConn(
      Event e,
      long t,
      String origIp,
      String respIp,
      int respPort,
      String service,
      long origBytes,
      long respBytes) {
    e.source(ZEEK_CONN);
    int port = 49152 + rnd.nextInt(16000);
    zeekHeader(e, t, origIp, port, respIp, respPort, "tcp");
    if (service != null) {
      e.addString(F_SERVICE, service);
    }
    e.addDouble(F_DURATION, Math.round(rnd.nextDouble() * 30_000_000) / 1e6);
    e.addLong(F_ORIG_BYTES, origBytes);
    e.addLong(F_RESP_BYTES, respBytes);
    e.addString(F_CONN_STATE, "SF");
    e.addBoolean(F_LOCAL_ORIG, origIp.startsWith("10."));
    e.addBoolean(F_LOCAL_RESP, respIp.startsWith("10."));
    e.addLong(F_MISSED_BYTES, 0);
    e.addString(F_HISTORY, "ShADadfF");
    e.addLong(F_ORIG_PKTS, 4 + origBytes / 1400);
    e.addLong(F_RESP_PKTS, 4 + respBytes / 1400);
    zeekEcs(e, origIp, port, respIp, respPort, "tcp");
  }

  // ---- cloud: Entra ID sign-ins as Azure Monitor exports them, Microsoft 365 audit records ----

  private static final int A_TIME = id("time");
  private static final int A_RESOURCE_ID = id("resourceId");
  private static final int A_OPERATION = id("operationName");
  private static final int A_CATEGORY = id("category");
  private static final int A_TENANT = id("tenantId");
  private static final int A_RESULT_TYPE = id("resultType");
  private static final int A_RESULT_DESCRIPTION = id("resultDescription");
  private static final int A_CALLER_IP = id("callerIpAddress");
  private static final int A_CORRELATION = id("correlationId");
  private static final int P_UPN = id("properties.userPrincipalName");
  private static final int P_APP = id("properties.appDisplayName");
  private static final int P_IP = id("properties.ipAddress");
  private static final int P_USER_AGENT = id("properties.userAgent");
  private static final int P_ERROR_CODE = id("properties.status.errorCode");
  private static final int P_CLIENT_APP = id("properties.clientAppUsed");
  private static final int P_AUTH_REQUIREMENT = id("properties.authenticationRequirement");
  private static final int P_COUNTRY = id("properties.location.countryOrRegion");
  private static final int M_CREATION_TIME = id("CreationTime");
  private static final int M_ID = id("Id");
  private static final int M_OPERATION = id("Operation");
  private static final int M_ORGANIZATION = id("OrganizationId");
  private static final int M_RECORD_TYPE = id("RecordType");
  private static final int M_RESULT_STATUS = id("ResultStatus");
  private static final int M_USER_TYPE = id("UserType");
  private static final int M_WORKLOAD = id("Workload");
  private static final int M_CLIENT_IP = id("ClientIP");
  private static final int M_USER_ID = id("UserId");
  private static final int M_OBJECT_ID = id("ObjectId");
  private static final int M_PARAMETERS = id("Parameters");
  private static final int M_NAME = id("Name");
  private static final int M_VALUE = id("Value");

  /** A user's sign-in name in the simulated tenant. */
  static String upn(String user) {
    return user + "@" + World.DNS_SUFFIX;
  }

  /**
   * An Entra ID sign-in (category SignInLogs): error 50126 (wrong password or unknown account) when
   * it failed; {@code mfa} says whether the sign-in asked for a second factor.
   */
  void entraSignIn(
      Event e,
      long t,
      String user,
      String ip,
      boolean success,
      String app,
      String userAgent,
      boolean mfa,
      String country) {
    e.source(CLOUD);
    e.timestamp(t);
    e.addString(A_TIME, Timestamps.format(t));
    e.addString(A_RESOURCE_ID, "/tenants/" + TENANT + "/providers/Microsoft.aadiam");
    e.addString(A_OPERATION, "Sign-in activity");
    e.addString(A_CATEGORY, "SignInLogs");
    e.addString(A_TENANT, TENANT);
    e.addString(A_RESULT_TYPE, success ? "0" : "50126");
    if (!success) {
      e.addString(
          A_RESULT_DESCRIPTION,
          "Error validating credentials due to invalid username or password.");
    }
    e.addString(A_CALLER_IP, ip);
    e.addString(A_CORRELATION, uuid());
    e.addString(P_UPN, upn(user));
    e.addString(P_APP, app);
    e.addString(P_IP, ip);
    e.addString(P_USER_AGENT, userAgent);
    e.addLong(P_ERROR_CODE, success ? 0 : 50126);
    e.addString(P_CLIENT_APP, "Browser");
    e.addString(
        P_AUTH_REQUIREMENT, mfa ? "multiFactorAuthentication" : "singleFactorAuthentication");
    e.addString(P_COUNTRY, country);
    AZURE.normalize(e);
  }

  /**
   * A Microsoft 365 unified audit record as the Management Activity API gives it; {@code
   * parameters} are name/value pairs (an Exchange cmdlet's), or null.
   */
  void m365(
      Event e,
      long t,
      String workload,
      int recordType,
      String operation,
      String user,
      String ip,
      String objectId,
      String[] parameters) {
    e.source(CLOUD);
    e.timestamp(t);
    String time = Timestamps.format(t - Math.floorMod(t, 1_000_000_000L));
    e.addString(M_CREATION_TIME, time.substring(0, time.length() - 1)); // UTC, written without zone
    e.addString(M_ID, uuid());
    e.addString(M_OPERATION, operation);
    e.addString(M_ORGANIZATION, TENANT);
    e.addLong(M_RECORD_TYPE, recordType);
    e.addString(M_RESULT_STATUS, workload.equals("Exchange") ? "True" : "Succeeded");
    e.addLong(M_USER_TYPE, 0);
    e.addString(M_WORKLOAD, workload);
    e.addString(M_CLIENT_IP, ip + ":" + (49152 + rnd.nextInt(16000)));
    e.addString(M_USER_ID, upn(user));
    e.addString(M_OBJECT_ID, objectId);
    if (parameters != null) {
      List<Value> items = new ArrayList<>(parameters.length / 2);
      for (int i = 0; i + 1 < parameters.length; i += 2) {
        Event pair = new Event(2);
        pair.addString(M_NAME, parameters[i]);
        pair.addString(M_VALUE, parameters[i + 1]);
        items.add(new Value.Obj(pair));
      }
      e.addList(M_PARAMETERS, items);
    }
    M365.normalize(e);
  }

  /** A GUID without braces, lower case, as cloud services write them. */
  private String uuid() {
    String g = guid();
    return g.substring(1, g.length() - 1).toLowerCase(java.util.Locale.ROOT);
  }
}
