package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Timestamps;
import java.util.Locale;

/**
 * Windows events in the three JSON shapes they travel in, brought to one schema.
 *
 * <ul>
 *   <li>The EVTX-as-JSON layout of the Rust {@code evtx} crate ({@code Event.System.*}, {@code
 *       Event.EventData.*}, attributes under {@code #attributes}): System values get the names
 *       Sigma uses ({@code EventID}, {@code Channel}, {@code Computer}, {@code Provider_Name};
 *       other attributes join with an underscore, such as {@code Execution_ProcessID}), EventData
 *       and UserData values get their own names ({@code Image}, {@code CommandLine}).
 *   <li>Flat JSON as NXLog and the OTRF datasets write it ({@code EventID}, {@code Channel}, {@code
 *       Hostname}, {@code SourceName}, EventData names at the top): kept as is.
 *   <li>Winlogbeat ({@code winlog.event_data.*}, {@code winlog.event_id}): native values move to
 *       their native names, the rest of the ECS document stays.
 * </ul>
 *
 * Then ECS fields are added beside the native ones: {@code host.name}, {@code event.code}, {@code
 * event.provider}, and per event type {@code process.*}, {@code user.*}, {@code source.*}, {@code
 * destination.*}, {@code dns.question.name}, {@code file.path}, {@code
 * event.category/type/outcome}.
 */
public final class WindowsNormalizer implements Normalizer {
  private static final String EVTX_SYSTEM = "Event.System.";
  private static final String EVTX_EVENT_DATA = "Event.EventData.";
  private static final String EVTX_USER_DATA = "Event.UserData.";
  private static final String EVTX_PREFIX = "Event.";
  private static final String WINLOG_EVENT_DATA = "winlog.event_data.";

  private static final int WINLOG_EVENT_ID = FieldNames.id("winlog.event_id");
  private static final int WINLOG_CHANNEL = FieldNames.id("winlog.channel");
  private static final int WINLOG_PROVIDER = FieldNames.id("winlog.provider_name");
  private static final int WINLOG_COMPUTER = FieldNames.id("winlog.computer_name");
  private static final int WINLOG_RECORD_ID = FieldNames.id("winlog.record_id");

  private final FieldIdMap evtxNames = new FieldIdMap(WindowsNormalizer::evtxName);
  private final FieldIdMap winlogNames = new FieldIdMap(WindowsNormalizer::winlogName);

  @Override
  public String name() {
    return "windows";
  }

  @Override
  public String description() {
    return "Windows event logs as JSON (evtx_dump layout, NXLog/OTRF flat, Winlogbeat) to native"
        + " names plus ECS";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.size() == 0) {
      return false;
    }
    if (isEvtxLayout(e)) {
      renameAll(e, evtxNames);
    } else if (e.indexOf(WINLOG_EVENT_ID) >= 0 || e.indexOf(WINLOG_CHANNEL) >= 0) {
      renameAll(e, winlogNames);
    } else if (e.indexOf(EVENT_ID) < 0
        || (e.indexOf(CHANNEL) < 0 && e.indexOf(PROVIDER_NAME) < 0 && e.indexOf(SOURCE_NAME) < 0)) {
      return false;
    }
    enrich(e);
    return true;
  }

  private static boolean isEvtxLayout(Event e) {
    int n = Math.min(e.size(), 3);
    for (int i = 0; i < n; i++) {
      if (e.name(i).startsWith(EVTX_SYSTEM)) {
        return true;
      }
    }
    return false;
  }

  private static void renameAll(Event e, FieldIdMap names) {
    for (int i = e.size() - 1; i >= 0; i--) {
      int to = names.get(e.nameId(i));
      if (to == FieldIdMap.DROP) {
        e.remove(i);
      } else if (to != e.nameId(i)) {
        e.rename(i, to);
      }
    }
  }

  /** Event.System.Provider.#attributes.Name → Provider_Name; Event.EventData.Image → Image. */
  static int evtxName(int id) {
    String n = FieldNames.name(id);
    String rest;
    if (n.startsWith(EVTX_SYSTEM)) {
      rest = n.substring(EVTX_SYSTEM.length());
    } else if (n.startsWith(EVTX_EVENT_DATA)) {
      rest = n.substring(EVTX_EVENT_DATA.length());
    } else if (n.startsWith(EVTX_USER_DATA)) {
      rest = n.substring(EVTX_USER_DATA.length());
      int dot = rest.indexOf('.');
      // UserData holds one element named by the provider; its children are the values.
      rest = dot >= 0 ? rest.substring(dot + 1) : rest;
    } else if (n.startsWith(EVTX_PREFIX + "#attributes.")) {
      return FieldIdMap.DROP; // the XML namespace
    } else if (n.startsWith(EVTX_PREFIX)) {
      rest = n.substring(EVTX_PREFIX.length());
    } else {
      return id;
    }
    // Sigma's Windows taxonomy strips spaces from names ("Threat Name" -> ThreatName).
    String flat =
        rest.replace(" ", "")
            .replace(".#attributes.", "_")
            .replace("#attributes.", "")
            .replace(".#text", "")
            .replace("#text", "")
            .replace('.', '_');
    if (flat.equals("xmlns") || flat.endsWith("_xmlns")) {
      return FieldIdMap.DROP; // XML namespaces of UserData elements: schema, not data
    }
    if (flat.equals("EventID_Qualifiers")) {
      flat = "Qualifiers";
    }
    return flat.isEmpty() ? FieldIdMap.DROP : FieldNames.id(flat);
  }

  static int winlogName(int id) {
    if (id == WINLOG_EVENT_ID) {
      return EVENT_ID;
    }
    if (id == WINLOG_CHANNEL) {
      return CHANNEL;
    }
    if (id == WINLOG_PROVIDER) {
      return PROVIDER_NAME;
    }
    if (id == WINLOG_COMPUTER) {
      return COMPUTER;
    }
    if (id == WINLOG_RECORD_ID) {
      return EVENT_RECORD_ID;
    }
    String n = FieldNames.name(id);
    return n.startsWith(WINLOG_EVENT_DATA)
        ? FieldNames.id(n.substring(WINLOG_EVENT_DATA.length()).replace(" ", ""))
        : id;
  }

  // ---- ECS ----

  private static void enrich(Event e) {
    long eventId = eventId(e);
    String channel = text(e, CHANNEL);
    String provider = text(e, PROVIDER_NAME);
    if (provider == null) {
      provider = text(e, SOURCE_NAME);
      if (provider != null) {
        e.putStringIfAbsent(PROVIDER_NAME, provider);
      }
    }
    String computer = text(e, COMPUTER);
    if (computer == null) {
      computer = text(e, HOSTNAME);
    }
    int created = e.indexOf(TIME_CREATED);
    if (created >= 0) {
      // TimeCreated/@SystemTime is the event time itself: it becomes @timestamp (to the
      // nanosecond) rather than a second copy of the same instant in every event.
      long ts = Timestamps.parse(e.text(created));
      if (ts != Timestamps.UNSET) {
        e.timestamp(ts);
        e.remove(created);
      }
    } else if (!e.hasTimestamp()) {
      String t = text(e, OTRF_TIME_CREATED);
      if (t != null) {
        long ts = Timestamps.parse(t);
        if (ts != Timestamps.UNSET) {
          e.timestamp(ts);
        }
      }
    }
    String logType = logType(channel, provider);
    e.source(e.source().withLogType(logType));
    if (computer != null) {
      e.putStringIfAbsent(ECS_HOST_NAME, computer);
    }
    if (eventId >= 0) {
      e.putStringIfAbsent(ECS_EVENT_CODE, Long.toString(eventId));
    }
    if (provider != null) {
      e.putStringIfAbsent(ECS_EVENT_PROVIDER, provider);
    }
    switch (logType) {
      case "windows/sysmon" -> sysmon(e, eventId);
      case "windows/security" -> security(e, eventId);
      default -> {}
    }
  }

  /** The log type the Sigma mapping routes on, from the channel (or the provider when absent). */
  public static String logType(String channel, String provider) {
    String c = channel == null ? "" : channel;
    String p = provider == null ? "" : provider;
    if (c.equalsIgnoreCase("Microsoft-Windows-Sysmon/Operational")
        || p.equalsIgnoreCase("Microsoft-Windows-Sysmon")) {
      return "windows/sysmon";
    }
    if (c.equalsIgnoreCase("Security")
        || p.equalsIgnoreCase("Microsoft-Windows-Security-Auditing")) {
      return "windows/security";
    }
    if (c.equalsIgnoreCase("System")) {
      return "windows/system";
    }
    if (c.equalsIgnoreCase("Application")) {
      return "windows/application";
    }
    if (c.equalsIgnoreCase("Microsoft-Windows-PowerShell/Operational")
        || c.equalsIgnoreCase("Windows PowerShell")) {
      return "windows/powershell";
    }
    if (!c.isEmpty()) {
      return "windows/" + c.toLowerCase(Locale.ROOT).replace(' ', '-');
    }
    return "windows";
  }

  private static void sysmon(Event e, long eventId) {
    e.putStringIfAbsent(ECS_EVENT_MODULE, "sysmon");
    switch ((int) eventId) {
      case 1 -> {
        processFields(e, IMAGE, COMMAND_LINE, PROCESS_ID);
        copy(e, PARENT_IMAGE, ECS_PARENT_EXECUTABLE);
        baseName(e, PARENT_IMAGE, ECS_PARENT_NAME);
        copy(e, PARENT_COMMAND_LINE, ECS_PARENT_COMMAND_LINE);
        copyLong(e, PARENT_PROCESS_ID, ECS_PARENT_PID);
        copy(e, CURRENT_DIRECTORY, ECS_PROCESS_WORKING_DIRECTORY);
        user(e, USER);
        categorize(e, "process", "start", null);
      }
      case 3 -> {
        processFields(e, IMAGE, -1, PROCESS_ID);
        ip(e, SOURCE_IP, ECS_SOURCE_IP);
        copyLong(e, SOURCE_PORT, ECS_SOURCE_PORT);
        ip(e, DESTINATION_IP, ECS_DESTINATION_IP);
        copyLong(e, DESTINATION_PORT, ECS_DESTINATION_PORT);
        copy(e, DESTINATION_HOSTNAME, ECS_DESTINATION_DOMAIN);
        user(e, USER);
        categorize(e, "network", "connection", null);
      }
      case 5 -> {
        processFields(e, IMAGE, -1, PROCESS_ID);
        categorize(e, "process", "end", null);
      }
      case 10 -> {
        processFields(e, SOURCE_IMAGE, -1, -1);
        categorize(e, "process", "access", null);
      }
      case 11, 23, 26 -> {
        processFields(e, IMAGE, -1, PROCESS_ID);
        copy(e, TARGET_FILENAME, ECS_FILE_PATH);
        categorize(e, "file", eventId == 11 ? "creation" : "deletion", null);
      }
      case 12, 13, 14 -> {
        processFields(e, IMAGE, -1, PROCESS_ID);
        copy(e, TARGET_OBJECT, ECS_REGISTRY_PATH);
        categorize(e, "registry", "change", null);
      }
      case 22 -> {
        processFields(e, IMAGE, -1, PROCESS_ID);
        copy(e, QUERY_NAME, ECS_DNS_QUESTION_NAME);
        categorize(e, "network", "protocol", null);
      }
      default -> processFields(e, IMAGE, -1, PROCESS_ID);
    }
  }

  private static void security(Event e, long eventId) {
    e.putStringIfAbsent(ECS_EVENT_MODULE, "security");
    switch ((int) eventId) {
      case 4624, 4625, 4648 -> {
        copy(e, TARGET_USER_NAME, ECS_USER_NAME);
        copy(e, TARGET_DOMAIN_NAME, ECS_USER_DOMAIN);
        ip(e, IP_ADDRESS, ECS_SOURCE_IP);
        copyLong(e, IP_PORT, ECS_SOURCE_PORT);
        copy(e, WORKSTATION_NAME, ECS_SOURCE_DOMAIN);
        copy(e, LOGON_TYPE, ECS_LOGON_TYPE);
        categorize(e, "authentication", "start", eventId == 4625 ? "failure" : "success");
      }
      case 4688 -> {
        processFields(e, NEW_PROCESS_NAME, COMMAND_LINE, NEW_PROCESS_ID);
        copyLong(e, PROCESS_ID, ECS_PARENT_PID); // 4688's ProcessId is the creator's
        copy(e, PARENT_PROCESS_NAME, ECS_PARENT_EXECUTABLE);
        baseName(e, PARENT_PROCESS_NAME, ECS_PARENT_NAME);
        copy(e, SUBJECT_USER_NAME, ECS_USER_NAME);
        copy(e, SUBJECT_DOMAIN_NAME, ECS_USER_DOMAIN);
        categorize(e, "process", "start", null);
      }
      case 4697, 7045 -> {
        copy(e, SERVICE_NAME, ECS_SERVICE_NAME);
        categorize(e, "configuration", "creation", null);
      }
      default -> {
        copy(e, SUBJECT_USER_NAME, ECS_USER_NAME);
        copy(e, SUBJECT_DOMAIN_NAME, ECS_USER_DOMAIN);
      }
    }
  }

  private static void processFields(Event e, int image, int commandLine, int pid) {
    copy(e, image, ECS_PROCESS_EXECUTABLE);
    baseName(e, image, ECS_PROCESS_NAME);
    if (commandLine >= 0) {
      copy(e, commandLine, ECS_PROCESS_COMMAND_LINE);
    }
    if (pid >= 0) {
      copyLong(e, pid, ECS_PROCESS_PID);
    }
  }

  /** {@code DOMAIN\\user} in the source field fills user.domain and user.name. */
  private static void user(Event e, int from) {
    String u = text(e, from);
    if (u == null || u.isEmpty() || u.equals("-")) {
      return;
    }
    int slash = u.indexOf('\\');
    if (slash >= 0) {
      e.putStringIfAbsent(ECS_USER_DOMAIN, u.substring(0, slash));
      e.putStringIfAbsent(ECS_USER_NAME, u.substring(slash + 1));
    } else {
      e.putStringIfAbsent(ECS_USER_NAME, u);
    }
  }

  private static void baseName(Event e, int from, int to) {
    String path = text(e, from);
    if (path != null && !path.isEmpty() && e.indexOf(to) < 0) {
      int cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
      e.addString(to, path.substring(cut + 1));
    }
  }

  /** EventID as a number (turned into a LONG field when it arrived as text); -1 when absent. */
  private static long eventId(Event e) {
    int i = e.indexOf(EVENT_ID);
    if (i < 0) {
      return -1;
    }
    if (e.kind(i) == Kind.LONG) {
      return e.longValue(i);
    }
    long v = parseLong(e.text(i));
    if (v >= 0) {
      e.putLong(EVENT_ID, v);
    }
    return v;
  }
}
