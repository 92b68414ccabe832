package dev.rampart.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.store.mapping.Mapping;
import java.io.IOException;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;

/**
 * The index template that makes OpenSearch map events as the embedded store does: strings are
 * keywords (matched without case by the translated queries), the store's text fields are words by
 * the same rule (runs of letters and digits, lower-cased) with the whole value beside them for
 * wildcards, the ECS address fields are IPs, {@code @timestamp} keeps nanoseconds, {@code
 * event.original} is kept but not indexed. A value that does not fit its field's type is kept in
 * the source and not indexed ({@code ignore_malformed}), as the store keeps it in the stored event
 * only. Fields of other kinds (IPs and times from parsers) are mapped by {@link EventIndexer} as
 * they first appear.
 */
public final class IndexTemplate {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The whole-value sub-field of a text field: wildcards and ranges over the whole value. */
  public static final String WHOLE = "raw";

  /** The analyzer of text fields. */
  public static final String WORDS = "rampart_words";

  /** The document field that holds the event's id (its spool offset), for paging and replays. */
  public static final String OFFSET = "rampart.offset";

  private IndexTemplate() {}

  /** The template's body for {@code PUT _index_template/NAME}. */
  public static ObjectNode body(OpenSearchOptions o) {
    ObjectNode t = JSON.createObjectNode();
    t.putArray("index_patterns").add(o.indexPrefix() + "-*");
    t.put("priority", 100);
    ObjectNode template = t.putObject("template");
    ObjectNode settings = template.putObject("settings");
    settings.put("index.number_of_shards", 1);
    settings.put("index.number_of_replicas", o.replicas());
    settings.put("index.mapping.ignore_malformed", true);
    // Windows events carry hundreds of distinct fields across providers
    settings.put("index.mapping.total_fields.limit", 20_000);
    ObjectNode analysis = settings.putObject("index.analysis");
    analysis
        .putObject("tokenizer")
        .putObject(WORDS)
        .put("type", "pattern")
        .put("pattern", "[^\\p{L}\\p{Nd}]+");
    ObjectNode words = analysis.putObject("analyzer").putObject(WORDS);
    words.put("type", "custom");
    words.put("tokenizer", WORDS);
    words.putArray("filter").add("lowercase");
    ObjectNode mappings = template.putObject("mappings");
    mappings.put("date_detection", false);
    mappings.put("numeric_detection", false);
    ObjectNode props = mappings.putObject("properties");
    props.putObject("@timestamp").put("type", "date_nanos");
    props.putObject(OFFSET).put("type", "long");
    for (String f : Mapping.DEFAULT_TEXT) {
      props.set(f, text());
    }
    for (String f : Mapping.DEFAULT_NONE) {
      props.putObject(f).put("type", "keyword").put("index", false).put("doc_values", false);
    }
    for (String f : ReadOptions.ECS_IP_FIELDS) {
      props.putObject(f).put("type", "ip");
    }
    ArrayNode dynamic = mappings.putArray("dynamic_templates");
    ObjectNode strings = dynamic.addObject().putObject("strings_as_keywords");
    strings.put("match_mapping_type", "string");
    strings.putObject("mapping").put("type", "keyword").put("ignore_above", 8191);
    // OpenSearch would map a JSON fraction as a float: ranges and aggregates would round it
    ObjectNode doubles = dynamic.addObject().putObject("fractions_as_doubles");
    doubles.put("match_mapping_type", "double");
    doubles.putObject("mapping").put("type", "double");
    return t;
  }

  static ObjectNode text() {
    ObjectNode f = JSON.createObjectNode();
    f.put("type", "text");
    f.put("analyzer", WORDS);
    f.putObject("fields").putObject(WHOLE).put("type", "keyword").put("ignore_above", 8191);
    return f;
  }

  /** Installs (or replaces) the template; indices created afterwards follow it. */
  public static void install(RestClient client, OpenSearchOptions o) throws IOException {
    Request r = new Request("PUT", "/_index_template/" + o.indexPrefix());
    r.setJsonEntity(JSON.writeValueAsString(body(o)));
    client.performRequest(r);
  }
}
