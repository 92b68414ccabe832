package dev.rampart.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.event.Kind;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The translation, field type by field type, as JSON (the end-to-end answers against a real node
 * are in rampart-opensearch-it).
 */
class QueryTranslatorTest {
  static final Mapping MAPPING = Mapping.inMemory(Map.of());

  static {
    MAPPING.resolve("user.name", Kind.STRING);
    MAPPING.resolve("CommandLine", Kind.STRING); // text by default
    MAPPING.resolve("source.ip", Kind.IP);
    MAPPING.resolve("port", Kind.LONG);
    MAPPING.resolve("ok", Kind.BOOLEAN);
  }

  static String json(String query) throws QueryException {
    return QueryTranslator.filter(QueryParser.parse(query).filter(), MAPPING).toString();
  }

  @Test
  void eachTypeHasItsQuery() throws Exception {
    assertThat(MAPPING.get("CommandLine")).isEqualTo(FieldType.TEXT);
    assertThat(json("user.name:Admin"))
        .isEqualTo("{\"term\":{\"user.name\":{\"value\":\"Admin\",\"case_insensitive\":true}}}");
    assertThat(json("CommandLine:\"cmd.exe /c\""))
        .isEqualTo(
            "{\"match_phrase\":{\"CommandLine\":{\"query\":\"cmd.exe /c\",\"analyzer\":\"rampart_words\"}}}");
    assertThat(json("CommandLine:*WHOAMI*"))
        .isEqualTo(
            "{\"wildcard\":{\"CommandLine.raw\":{\"value\":\"*whoami*\",\"case_insensitive\":true}}}");
    assertThat(json("source.ip:10.0.0.0/8")).isEqualTo("{\"term\":{\"source.ip\":\"10.0.0.0/8\"}}");
    assertThat(json("port:[1 TO 1024}"))
        .isEqualTo("{\"range\":{\"port\":{\"gte\":1,\"lt\":1024}}}");
    assertThat(json("ok:TRUE")).isEqualTo("{\"term\":{\"ok\":true}}");
    assertThat(json("nothere:x")).isEqualTo("{\"match_none\":{}}");
    assertThat(json("user.name:* AND NOT port:22"))
        .isEqualTo(
            "{\"bool\":{\"filter\":[{\"exists\":{\"field\":\"user.name\"}}],"
                + "\"must_not\":[{\"term\":{\"port\":22}}]}}");
  }

  @Test
  void aValueOfTheWrongTypeIsTheStoresErrorAtItsColumn() {
    assertThatThrownBy(() -> json("user.name:x OR port:abc"))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("port");
  }

  @Test
  void theTemplateMapsLikeTheStore() {
    var t = IndexTemplate.body(OpenSearchOptions.of("http://127.0.0.1:9200"));
    var props = t.path("template").path("mappings").path("properties");
    assertThat(props.path("@timestamp").path("type").asText()).isEqualTo("date_nanos");
    assertThat(props.path("CommandLine").path("analyzer").asText()).isEqualTo("rampart_words");
    assertThat(props.path("source.ip").path("type").asText()).isEqualTo("ip");
    assertThat(props.path("event.original").path("index").asBoolean(true)).isFalse();
    assertThat(
            t.path("template").path("settings").path("index.mapping.ignore_malformed").asBoolean())
        .isTrue();
  }
}
