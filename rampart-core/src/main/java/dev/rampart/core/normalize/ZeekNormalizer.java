package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;

/**
 * Zeek logs as JSON ({@code ts}, {@code uid}, {@code id.orig_h}): Zeek's names stay (what Sigma's
 * Zeek rules use), ECS is added beside them ({@code source.*}, {@code destination.*}, {@code
 * network.transport}, DNS, HTTP and TLS names, {@code event.category}), and the log type is {@code
 * zeek/<log>} from {@code _path} or, without it, from the fields only that log has (conn, dns,
 * http, ssl). The time comes from {@code ts} (epoch seconds or ISO text).
 */
public final class ZeekNormalizer implements Normalizer {
  private static final int PATH = FieldNames.id("_path");
  private static final int UID = FieldNames.id("uid");
  private static final int TS = FieldNames.id("ts");
  private static final int ORIG_H = FieldNames.id("id.orig_h");
  private static final int ORIG_P = FieldNames.id("id.orig_p");
  private static final int RESP_H = FieldNames.id("id.resp_h");
  private static final int RESP_P = FieldNames.id("id.resp_p");
  private static final int PROTO = FieldNames.id("proto");
  private static final int QUERY = FieldNames.id("query");
  private static final int QTYPE_NAME = FieldNames.id("qtype_name");
  private static final int CONN_STATE = FieldNames.id("conn_state");
  private static final int HOST = FieldNames.id("host");
  private static final int URI = FieldNames.id("uri");
  private static final int METHOD = FieldNames.id("method");
  private static final int USER_AGENT = FieldNames.id("user_agent");
  private static final int STATUS_CODE = FieldNames.id("status_code");
  private static final int SERVER_NAME = FieldNames.id("server_name");
  private static final int CIPHER = FieldNames.id("cipher");

  private static final int ECS_SOURCE_IP = FieldNames.id("source.ip");
  private static final int ECS_SOURCE_PORT = FieldNames.id("source.port");
  private static final int ECS_DEST_IP = FieldNames.id("destination.ip");
  private static final int ECS_DEST_PORT = FieldNames.id("destination.port");
  private static final int ECS_TRANSPORT = FieldNames.id("network.transport");
  private static final int ECS_MODULE = FieldNames.id("event.module");
  private static final int ECS_DATASET = FieldNames.id("event.dataset");
  private static final int ECS_EVENT_ID = FieldNames.id("event.id");
  private static final int ECS_DNS_QUESTION = FieldNames.id("dns.question.name");
  private static final int ECS_DNS_TYPE = FieldNames.id("dns.question.type");
  private static final int ECS_URL_DOMAIN = FieldNames.id("url.domain");
  private static final int ECS_URL_ORIGINAL = FieldNames.id("url.original");
  private static final int ECS_UA = FieldNames.id("user_agent.original");
  private static final int ECS_METHOD = FieldNames.id("http.request.method");
  private static final int ECS_STATUS = FieldNames.id("http.response.status_code");
  private static final int ECS_SNI = FieldNames.id("tls.client.server_name");

  private static final TimestampNormalizer TIME = new TimestampNormalizer();

  @Override
  public String name() {
    return "zeek";
  }

  @Override
  public String description() {
    return "Zeek JSON logs: conn, dns, http, ssl and the rest to ECS (log type zeek/<log>)";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.indexOf(TS) < 0) {
      return false;
    }
    String log = text(e, PATH);
    if (log == null) {
      if (e.indexOf(UID) < 0 && e.indexOf(ORIG_H) < 0) {
        return false;
      }
      log = guess(e);
      if (log == null && e.indexOf(ORIG_H) < 0) {
        return false; // a ts and a uid alone are not enough to call it Zeek
      }
    }
    TIME.normalize(e);
    ip(e, ORIG_H, ECS_SOURCE_IP);
    copyLong(e, ORIG_P, ECS_SOURCE_PORT);
    ip(e, RESP_H, ECS_DEST_IP);
    copyLong(e, RESP_P, ECS_DEST_PORT);
    copy(e, PROTO, ECS_TRANSPORT);
    copy(e, UID, ECS_EVENT_ID);
    e.putStringIfAbsent(ECS_MODULE, "zeek");
    if (log != null) {
      e.putStringIfAbsent(ECS_DATASET, "zeek." + log);
    }
    switch (log == null ? "" : log) {
      case "conn" -> categorize(e, "network", "connection", null);
      case "dns" -> {
        categorize(e, "network", "protocol", null);
        copy(e, QUERY, ECS_DNS_QUESTION);
        copy(e, QTYPE_NAME, ECS_DNS_TYPE);
      }
      case "http" -> {
        categorize(e, "web", "access", null);
        copy(e, HOST, ECS_URL_DOMAIN);
        copy(e, URI, ECS_URL_ORIGINAL);
        copy(e, METHOD, ECS_METHOD);
        copy(e, USER_AGENT, ECS_UA);
        copyLong(e, STATUS_CODE, ECS_STATUS);
      }
      case "ssl" -> {
        categorize(e, "network", "protocol", null);
        copy(e, SERVER_NAME, ECS_SNI);
      }
      default -> categorize(e, "network", "info", null);
    }
    e.source(e.source().withLogType(log == null ? "zeek" : "zeek/" + log));
    return true;
  }

  /** The log a record without {@code _path} comes from, by the fields only that log writes. */
  private static String guess(Event e) {
    if (e.indexOf(QUERY) >= 0 && e.indexOf(QTYPE_NAME) >= 0) {
      return "dns";
    }
    if (e.indexOf(CONN_STATE) >= 0) {
      return "conn";
    }
    if (e.indexOf(METHOD) >= 0 && e.indexOf(URI) >= 0) {
      return "http";
    }
    if (e.indexOf(CIPHER) >= 0 || e.indexOf(SERVER_NAME) >= 0) {
      return "ssl";
    }
    return null;
  }
}
