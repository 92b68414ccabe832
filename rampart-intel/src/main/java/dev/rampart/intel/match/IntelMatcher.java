package dev.rampart.intel.match;

import dev.rampart.core.event.Event;
import dev.rampart.intel.Indicator;
import dev.rampart.intel.index.IntelIndex;
import java.util.List;

/**
 * Looks up an event's addresses, names, URLs and file hashes in an {@link IntelIndex}: the ECS
 * fields and the native names of Windows, Sysmon, Zeek and Suricata events that carry them.
 * Sysmon's {@code Hashes} field ({@code SHA256=...,MD5=...}) is split. Allocation-free for ASCII
 * values.
 */
public final class IntelMatcher {
  /** One hit: the event field, its value, and the indicator's number in the index. */
  public interface Sink {
    void hit(String field, String value, int indicator);
  }

  /** Fields looked at. */
  public static final List<String> IP_FIELDS =
      List.of(
          "source.ip",
          "destination.ip",
          "client.ip",
          "server.ip",
          "host.ip",
          "related.ip",
          "IpAddress",
          "SourceIp",
          "DestinationIp",
          "SourceAddress",
          "DestAddress",
          "id.orig_h",
          "id.resp_h",
          "src_ip",
          "dest_ip");

  /** Fields looked at. */
  public static final List<String> DOMAIN_FIELDS =
      List.of(
          "dns.question.name",
          "url.domain",
          "destination.domain",
          "server.domain",
          "tls.client.server_name",
          "QueryName",
          "DestinationHostname",
          "query",
          "server_name",
          "host");

  /** Fields looked at. */
  public static final List<String> URL_FIELDS = List.of("url.full", "url.original");

  /** Fields looked at. */
  public static final List<String> HASH_FIELDS =
      List.of(
          "file.hash.md5",
          "file.hash.sha1",
          "file.hash.sha256",
          "process.hash.md5",
          "process.hash.sha1",
          "process.hash.sha256",
          "md5",
          "sha1",
          "sha256");

  private IntelMatcher() {}

  /** Reports every field of {@code e} that an indicator in force at {@code nowMillis} matches. */
  public static void match(Event e, IntelIndex index, long nowMillis, Sink sink) {
    if (index.size() == 0) {
      return;
    }
    for (String f : IP_FIELDS) {
      String v = e.getText(f);
      if (v != null) {
        hit(sink, f, v, index.ip(v), index, nowMillis);
      }
    }
    for (String f : DOMAIN_FIELDS) {
      String v = e.getText(f);
      if (v != null && !v.isEmpty()) {
        hit(sink, f, v, index.domain(v), index, nowMillis);
      }
    }
    for (String f : URL_FIELDS) {
      String v = e.getText(f);
      if (v != null) {
        hit(sink, f, v, index.url(v), index, nowMillis);
      }
    }
    for (String f : HASH_FIELDS) {
      String v = e.getText(f);
      if (v != null) {
        hit(sink, f, v, index.hash(v), index, nowMillis);
      }
    }
    String hashes = e.getText("Hashes");
    if (hashes != null) {
      for (String part : hashes.split(",")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          String h = part.substring(eq + 1).strip();
          hit(sink, "Hashes", h, index.hash(h), index, nowMillis);
        }
      }
    }
  }

  private static void hit(
      Sink sink, String field, String value, int i, IntelIndex index, long nowMillis) {
    if (i >= 0 && index.live(i, nowMillis)) {
      sink.hit(field, value, i);
    }
  }

  /** The alert level an indicator's confidence calls for. */
  public static String level(Indicator ind) {
    return ind.confidence() >= 80 ? "high" : ind.confidence() >= 50 ? "medium" : "low";
  }
}
