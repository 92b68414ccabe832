package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import java.util.Locale;

/**
 * Suricata EVE JSON ({@code event_type}, {@code src_ip}, {@code flow_id}): Suricata's names stay,
 * ECS is added beside them: {@code source.*}/{@code destination.*}, {@code network.transport},
 * {@code event.kind} (alert or event), {@code event.category}, {@code rule.*} and {@code
 * event.severity} of alerts, and the DNS, HTTP and TLS names. Log type {@code suricata/eve}.
 */
public final class SuricataNormalizer implements Normalizer {
  private static final int EVENT_TYPE = FieldNames.id("event_type");
  private static final int FLOW_ID = FieldNames.id("flow_id");
  private static final int SRC_IP = FieldNames.id("src_ip");
  private static final int SRC_PORT = FieldNames.id("src_port");
  private static final int DEST_IP = FieldNames.id("dest_ip");
  private static final int DEST_PORT = FieldNames.id("dest_port");
  private static final int PROTO = FieldNames.id("proto");
  private static final int SIGNATURE = FieldNames.id("alert.signature");
  private static final int SIGNATURE_ID = FieldNames.id("alert.signature_id");
  private static final int ALERT_CATEGORY = FieldNames.id("alert.category");
  private static final int ALERT_SEVERITY = FieldNames.id("alert.severity");
  private static final int ALERT_ACTION = FieldNames.id("alert.action");
  private static final int DNS_RRNAME = FieldNames.id("dns.rrname");
  private static final int HTTP_HOSTNAME = FieldNames.id("http.hostname");
  private static final int HTTP_URL = FieldNames.id("http.url");
  private static final int HTTP_UA = FieldNames.id("http.http_user_agent");
  private static final int HTTP_METHOD = FieldNames.id("http.http_method");
  private static final int HTTP_STATUS = FieldNames.id("http.status");
  private static final int TLS_SNI = FieldNames.id("tls.sni");

  private static final int ECS_SOURCE_IP = FieldNames.id("source.ip");
  private static final int ECS_SOURCE_PORT = FieldNames.id("source.port");
  private static final int ECS_DEST_IP = FieldNames.id("destination.ip");
  private static final int ECS_DEST_PORT = FieldNames.id("destination.port");
  private static final int ECS_TRANSPORT = FieldNames.id("network.transport");
  private static final int ECS_KIND = FieldNames.id("event.kind");
  private static final int ECS_MODULE = FieldNames.id("event.module");
  private static final int ECS_DATASET = FieldNames.id("event.dataset");
  private static final int ECS_ACTION = FieldNames.id("event.action");
  private static final int ECS_SEVERITY = FieldNames.id("event.severity");
  private static final int ECS_RULE_NAME = FieldNames.id("rule.name");
  private static final int ECS_RULE_ID = FieldNames.id("rule.id");
  private static final int ECS_RULE_CATEGORY = FieldNames.id("rule.category");
  private static final int ECS_DNS_QUESTION = FieldNames.id("dns.question.name");
  private static final int ECS_URL_DOMAIN = FieldNames.id("url.domain");
  private static final int ECS_URL_ORIGINAL = FieldNames.id("url.original");
  private static final int ECS_UA = FieldNames.id("user_agent.original");
  private static final int ECS_METHOD = FieldNames.id("http.request.method");
  private static final int ECS_STATUS = FieldNames.id("http.response.status_code");
  private static final int ECS_SNI = FieldNames.id("tls.client.server_name");

  @Override
  public String name() {
    return "suricata";
  }

  @Override
  public String description() {
    return "Suricata EVE JSON: alerts, flows, DNS, HTTP, TLS to ECS (log type suricata/eve)";
  }

  @Override
  public boolean normalize(Event e) {
    String type = text(e, EVENT_TYPE);
    if (type == null || (e.indexOf(SRC_IP) < 0 && e.indexOf(FLOW_ID) < 0)) {
      return false;
    }
    ip(e, SRC_IP, ECS_SOURCE_IP);
    copyLong(e, SRC_PORT, ECS_SOURCE_PORT);
    ip(e, DEST_IP, ECS_DEST_IP);
    copyLong(e, DEST_PORT, ECS_DEST_PORT);
    String proto = text(e, PROTO);
    if (proto != null) {
      e.putStringIfAbsent(ECS_TRANSPORT, proto.toLowerCase(Locale.ROOT));
    }
    e.putStringIfAbsent(ECS_MODULE, "suricata");
    e.putStringIfAbsent(ECS_DATASET, "suricata.eve");
    boolean alert = type.equals("alert");
    e.putStringIfAbsent(ECS_KIND, alert ? "alert" : "event");
    switch (type) {
      case "alert" -> {
        categorize(e, "intrusion_detection", "info", null);
        copy(e, SIGNATURE, ECS_RULE_NAME);
        copy(e, SIGNATURE_ID, ECS_RULE_ID);
        copy(e, ALERT_CATEGORY, ECS_RULE_CATEGORY);
        copyLong(e, ALERT_SEVERITY, ECS_SEVERITY);
        copy(e, ALERT_ACTION, ECS_ACTION);
      }
      case "dns" -> {
        categorize(e, "network", "protocol", null);
        copy(e, DNS_RRNAME, ECS_DNS_QUESTION);
      }
      case "http" -> {
        categorize(e, "web", "access", null);
        copy(e, HTTP_HOSTNAME, ECS_URL_DOMAIN);
        copy(e, HTTP_URL, ECS_URL_ORIGINAL);
        copy(e, HTTP_UA, ECS_UA);
        copy(e, HTTP_METHOD, ECS_METHOD);
        copyLong(e, HTTP_STATUS, ECS_STATUS);
      }
      case "tls" -> {
        categorize(e, "network", "protocol", null);
        copy(e, TLS_SNI, ECS_SNI);
      }
      default -> categorize(e, "network", "connection", null);
    }
    e.source(e.source().withLogType("suricata/eve"));
    return true;
  }
}
