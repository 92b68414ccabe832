package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;

/**
 * Kubernetes API server audit events ({@code kind: Event}, {@code apiVersion: audit.k8s.io/v1}), as
 * the audit log backend writes them, one JSON object per line. Native names stay (Sigma's
 * Kubernetes rules use {@code verb}, {@code objectRef.resource}, {@code responseStatus.code}...);
 * ECS is added: {@code event.action} (the verb), {@code event.id} (the audit id), {@code
 * user.name}, {@code source.ip} (the first of {@code sourceIPs}), {@code user_agent.original},
 * {@code url.original} (the request URI), {@code event.outcome} (failure from status 400 up). Log
 * type {@code kubernetes/audit}.
 */
public final class KubernetesAuditNormalizer implements Normalizer {
  private static final int KIND = FieldNames.id("kind");
  private static final int API_VERSION = FieldNames.id("apiVersion");
  private static final int VERB = FieldNames.id("verb");
  private static final int AUDIT_ID = FieldNames.id("auditID");
  private static final int RECEIVED = FieldNames.id("requestReceivedTimestamp");
  private static final int STAGE_TIME = FieldNames.id("stageTimestamp");
  private static final int USERNAME = FieldNames.id("user.username");
  private static final int SOURCE_IPS = FieldNames.id("sourceIPs");
  private static final int USER_AGENT = FieldNames.id("userAgent");
  private static final int REQUEST_URI = FieldNames.id("requestURI");
  private static final int STATUS_CODE = FieldNames.id("responseStatus.code");

  private static final int ECS_URL = FieldNames.id("url.original");

  @Override
  public String name() {
    return "kubernetes-audit";
  }

  @Override
  public String description() {
    return "Kubernetes API server audit events (audit.k8s.io) to ECS (kubernetes/audit)";
  }

  @Override
  public boolean normalize(Event e) {
    String apiVersion = text(e, API_VERSION);
    if (e.indexOf(VERB) < 0
        || !"Event".equals(text(e, KIND))
        || apiVersion == null
        || !apiVersion.startsWith("audit.k8s.io/")) {
      return false;
    }
    time(e, first(e, RECEIVED, STAGE_TIME));
    e.putStringIfAbsent(ECS_EVENT_MODULE, "kubernetes");
    e.putStringIfAbsent(ECS_EVENT_DATASET, "kubernetes.audit");
    put(e, ECS_EVENT_ACTION, text(e, VERB));
    put(e, ECS_EVENT_ID, text(e, AUDIT_ID));
    put(e, ECS_USER_NAME, text(e, USERNAME));
    int ips = e.indexOf(SOURCE_IPS);
    if (ips >= 0 && e.kind(ips) == Kind.LIST && !e.listValue(ips).isEmpty()) {
      Value firstIp = e.listValue(ips).get(0);
      address(e, ECS_SOURCE_IP, firstIp instanceof Value.Str s ? s.value() : null);
    } else if (ips >= 0) {
      address(e, ECS_SOURCE_IP, e.text(ips));
    }
    put(e, ECS_USER_AGENT, text(e, USER_AGENT));
    put(e, ECS_URL, text(e, REQUEST_URI));
    int code = e.indexOf(STATUS_CODE);
    if (code >= 0) {
      long c = e.kind(code) == Kind.LONG ? e.longValue(code) : parseLong(e.text(code));
      if (c > 0) {
        e.putStringIfAbsent(ECS_EVENT_OUTCOME, c < 400 ? "success" : "failure");
      }
    }
    e.source(e.source().withLogType("kubernetes/audit"));
    return true;
  }
}
