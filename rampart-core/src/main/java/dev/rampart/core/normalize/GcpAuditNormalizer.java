package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import java.util.Locale;

/**
 * Google Cloud audit logs: Cloud Logging entries whose {@code protoPayload} is an {@code AuditLog}
 * (admin activity, data access, system event, policy denied), as exported to Pub/Sub, storage or
 * BigQuery, or wrapped in the Pub/Sub push {@code data} object. Native names stay; ECS is added:
 * {@code event.action} (the method), {@code event.provider} (the service), {@code user.name} and
 * {@code user.email} (the principal), {@code source.ip}, {@code user_agent.original}, {@code
 * event.outcome} (failure when the status carries a code), {@code cloud.project.id}. Log type
 * {@code gcp/audit}; Sigma's {@code gcp.audit.method_name} is read through the log source mapping.
 */
public final class GcpAuditNormalizer implements Normalizer {
  private static final String AUDIT_LOG = "type.googleapis.com/google.cloud.audit.AuditLog";

  /** The fields read, at the top level and under Pub/Sub's {@code data}. */
  private record Ids(
      int type,
      int method,
      int service,
      int principal,
      int callerIp,
      int userAgent,
      int statusCode,
      int project,
      int insertId,
      int timestamp) {
    static Ids under(String prefix) {
      return new Ids(
          FieldNames.id(prefix + "protoPayload.@type"),
          FieldNames.id(prefix + "protoPayload.methodName"),
          FieldNames.id(prefix + "protoPayload.serviceName"),
          FieldNames.id(prefix + "protoPayload.authenticationInfo.principalEmail"),
          FieldNames.id(prefix + "protoPayload.requestMetadata.callerIp"),
          FieldNames.id(prefix + "protoPayload.requestMetadata.callerSuppliedUserAgent"),
          FieldNames.id(prefix + "protoPayload.status.code"),
          FieldNames.id(prefix + "resource.labels.project_id"),
          FieldNames.id(prefix + "insertId"),
          FieldNames.id(prefix + "timestamp"));
    }
  }

  private static final Ids TOP = Ids.under("");
  private static final Ids PUBSUB = Ids.under("data.");

  private static final int ECS_PROJECT = FieldNames.id("cloud.project.id");
  private static final int ECS_USER_EMAIL = FieldNames.id("user.email");

  @Override
  public String name() {
    return "gcp-audit";
  }

  @Override
  public String description() {
    return "Google Cloud audit log entries (protoPayload AuditLog, also inside Pub/Sub's data) to"
        + " ECS (gcp/audit)";
  }

  @Override
  public boolean normalize(Event e) {
    Ids f;
    if (AUDIT_LOG.equals(text(e, TOP.type()))) {
      f = TOP;
    } else if (AUDIT_LOG.equals(text(e, PUBSUB.type()))) {
      f = PUBSUB;
    } else {
      return false;
    }
    time(e, text(e, f.timestamp()));
    e.putStringIfAbsent(ECS_EVENT_MODULE, "gcp");
    e.putStringIfAbsent(ECS_EVENT_DATASET, "gcp.audit");
    e.putStringIfAbsent(ECS_CLOUD_PROVIDER, "gcp");
    String method = text(e, f.method());
    put(e, ECS_EVENT_ACTION, method);
    put(e, ECS_EVENT_PROVIDER, text(e, f.service()));
    put(e, ECS_EVENT_ID, text(e, f.insertId()));
    String principal = text(e, f.principal());
    put(e, ECS_USER_NAME, principal);
    if (principal != null && principal.indexOf('@') > 0) {
      put(e, ECS_USER_EMAIL, principal);
    }
    address(e, ECS_SOURCE_IP, text(e, f.callerIp()));
    put(e, ECS_USER_AGENT, text(e, f.userAgent()));
    put(e, ECS_PROJECT, text(e, f.project()));
    // google.rpc.Status: code 0 (or none) is OK, anything else an error
    int code = e.indexOf(f.statusCode());
    boolean failed =
        code >= 0
            && (e.kind(code) == Kind.LONG
                ? e.longValue(code) != 0
                : !e.text(code).isBlank() && !e.text(code).strip().equals("0"));
    e.putStringIfAbsent(ECS_EVENT_OUTCOME, failed ? "failure" : "success");
    String verb = method == null ? "" : method.substring(method.lastIndexOf('.') + 1);
    String v = verb.toLowerCase(Locale.ROOT);
    if (v.startsWith("setiampolicy")) {
      categorize(e, "iam", "change", null);
    } else {
      categorize(
          e,
          "configuration",
          v.startsWith("delete") || v.startsWith("remove")
              ? "deletion"
              : v.startsWith("create") || v.startsWith("insert")
                  ? "creation"
                  : v.startsWith("get") || v.startsWith("list") ? "access" : "change",
          null);
    }
    e.source(e.source().withLogType("gcp/audit"));
    return true;
  }
}
