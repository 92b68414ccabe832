package dev.rampart.core.event;

/**
 * Where an event came from: the input that received it (a file path, {@code syslog-udp:514}), the
 * host that sent it (which may be a relay, unlike the event's own {@code host.name}), and its log
 * type ({@code windows/sysmon}, {@code linux/auditd}, {@code syslog}), which the detection engine
 * routes on. Instances are shared by every event of one input, so the record costs nothing per
 * event.
 */
public record EventSource(String input, String host, String logType) {
  public static final EventSource UNKNOWN = new EventSource("", "", "");

  public EventSource {
    input = input == null ? "" : input;
    host = host == null ? "" : host;
    logType = logType == null ? "" : logType;
  }

  public EventSource withLogType(String type) {
    return type.equals(logType) ? this : new EventSource(input, host, type);
  }

  public EventSource withInput(String in) {
    return in.equals(input) ? this : new EventSource(in, host, logType);
  }

  public EventSource withHost(String h) {
    return h.equals(host) ? this : new EventSource(input, h, logType);
  }

  public boolean isUnknown() {
    return input.isEmpty() && host.isEmpty() && logType.isEmpty();
  }
}
