package dev.rampart.ingest.parse;

import dev.rampart.core.event.FieldNames;

/** Field ids the parsers share, resolved once. */
public final class Fields {
  public static final int ORIGINAL = FieldNames.id("event.original");
  public static final int MESSAGE = FieldNames.id("message");
  public static final int HOST_NAME = FieldNames.id("host.name");
  public static final int HOST_HOSTNAME = FieldNames.id("host.hostname");
  public static final int PROCESS_NAME = FieldNames.id("process.name");
  public static final int PROCESS_PID = FieldNames.id("process.pid");
  public static final int SOURCE_IP = FieldNames.id("source.ip");
  public static final int SOURCE_PORT = FieldNames.id("source.port");
  public static final int DESTINATION_IP = FieldNames.id("destination.ip");
  public static final int DESTINATION_PORT = FieldNames.id("destination.port");
  public static final int EVENT_ACTION = FieldNames.id("event.action");
  public static final int EVENT_CODE = FieldNames.id("event.code");
  public static final int EVENT_SEVERITY = FieldNames.id("event.severity");
  public static final int EVENT_DATASET = FieldNames.id("event.dataset");
  public static final int OBSERVER_VENDOR = FieldNames.id("observer.vendor");
  public static final int OBSERVER_PRODUCT = FieldNames.id("observer.product");
  public static final int OBSERVER_VERSION = FieldNames.id("observer.version");

  private Fields() {}
}
