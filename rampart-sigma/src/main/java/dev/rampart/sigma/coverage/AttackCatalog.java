package dev.rampart.sigma.coverage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ATT&CK techniques and tactics by name, read from MITRE's STIX bundle (enterprise-attack.json
 * of the attack-stix-data repository, which the user downloads; Rampart ships none): each
 * technique's id, name, tactics, and whether it is deprecated or revoked (and by what). Kept in the
 * data folder as a small bundle of the same shape ({@link #write}, {@link #load}) so that coverage
 * can name techniques, place them under their real tactics and list what no rule covers.
 *
 * <pre>{@code
 * AttackCatalog c = AttackCatalog.fromStix(Path.of("enterprise-attack.json"));
 * c.write(AttackCatalog.file(data));
 * }</pre>
 */
public final class AttackCatalog {
  /**
   * The catalogue's content, as saved.
   *
   * @param name the collection's name ("Enterprise ATT&CK"), or the file's when it has none
   * @param version the collection's version, or "" when the bundle does not say
   * @param tactics the tactics, in the matrix's order when the bundle gives one
   * @param techniques techniques and sub-techniques, by id
   * @param skipped attack patterns without an ATT&CK id (not ATT&CK's own), counted
   */
  public record Content(
      String name, String version, List<Tactic> tactics, List<Technique> techniques, int skipped) {
    /** The same with {@code n} skipped (the saved copy holds none of what was skipped). */
    public Content withSkipped(int n) {
      return new Content(name, version, tactics, techniques, n);
    }
  }

  /** A tactic: its tag as Sigma writes it (underscores), its name and id (TA0006). */
  public record Tactic(String tag, String name, String id) {}

  /**
   * A technique or sub-technique; {@code revokedBy} is the id that replaced it (or null when it is
   * not revoked, or revoked without a successor).
   */
  public record Technique(
      String id,
      String name,
      List<String> tactics,
      boolean deprecated,
      boolean revoked,
      String revokedBy) {
    /** Whether it is current ATT&CK: neither deprecated nor revoked. */
    public boolean current() {
      return !deprecated && !revoked;
    }

    public boolean subTechnique() {
      return id.indexOf('.') > 0;
    }
  }

  private final Content content;
  private final Map<String, Technique> byId = new HashMap<>();

  public AttackCatalog(Content content) {
    this.content = content;
    for (Technique t : content.techniques()) {
      byId.put(t.id(), t);
    }
  }

  public Content content() {
    return content;
  }

  /** "Enterprise ATT&CK 17.1": what the page says its names come from. */
  public String title() {
    return content.version().isEmpty() ? content.name() : content.name() + " " + content.version();
  }

  public List<Tactic> tactics() {
    return content.tactics();
  }

  public List<Technique> techniques() {
    return content.techniques();
  }

  /** The technique {@code id} (T1003.001, any case), or null. */
  public Technique technique(String id) {
    return byId.get(id.toUpperCase(Locale.ROOT));
  }

  /** Where the catalogue lives in a data folder. */
  public static Path file(Path dataDir) {
    return dataDir.resolve("attack").resolve("catalog.json");
  }

  /** The catalogue saved in {@code dataDir}, or null when none was imported. */
  public static AttackCatalog load(Path dataDir) throws IOException {
    Path f = file(dataDir);
    return Files.exists(f) ? fromStix(f) : null;
  }

  /**
   * Saves the catalogue as a small STIX bundle of the same shape as MITRE's (only what is read
   * back: the collection, tactics in matrix order, techniques, revocations), so {@link #fromStix}
   * reads both; atomically, so a reader never sees half of it.
   */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp);
        JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("type", "bundle");
      g.writeStringField("id", "bundle--rampart-attack-catalog");
      g.writeArrayFieldStart("objects");
      g.writeStartObject();
      g.writeStringField("type", "x-mitre-collection");
      g.writeStringField("name", content.name());
      g.writeStringField("x_mitre_version", content.version());
      g.writeEndObject();
      g.writeStartObject();
      g.writeStringField("type", "x-mitre-matrix");
      g.writeArrayFieldStart("tactic_refs");
      for (Tactic t : content.tactics()) {
        g.writeString("x-mitre-tactic--" + t.tag());
      }
      g.writeEndArray();
      g.writeEndObject();
      for (Tactic t : content.tactics()) {
        g.writeStartObject();
        g.writeStringField("type", "x-mitre-tactic");
        g.writeStringField("id", "x-mitre-tactic--" + t.tag());
        g.writeStringField("name", t.name());
        g.writeStringField("x_mitre_shortname", t.tag().replace('_', '-'));
        references(g, t.id());
        g.writeEndObject();
      }
      for (Technique t : content.techniques()) {
        g.writeStartObject();
        g.writeStringField("type", "attack-pattern");
        g.writeStringField("id", "attack-pattern--" + t.id());
        g.writeStringField("name", t.name());
        references(g, t.id());
        g.writeArrayFieldStart("kill_chain_phases");
        for (String tactic : t.tactics()) {
          g.writeStartObject();
          g.writeStringField("kill_chain_name", "mitre-attack");
          g.writeStringField("phase_name", tactic.replace('_', '-'));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("revoked", t.revoked());
        g.writeBooleanField("x_mitre_deprecated", t.deprecated());
        g.writeEndObject();
        if (t.revokedBy() != null) {
          g.writeStartObject();
          g.writeStringField("type", "relationship");
          g.writeStringField("relationship_type", "revoked-by");
          g.writeStringField("source_ref", "attack-pattern--" + t.id());
          g.writeStringField("target_ref", "attack-pattern--" + t.revokedBy());
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void references(JsonGenerator g, String id) throws IOException {
    g.writeArrayFieldStart("external_references");
    if (id != null) {
      g.writeStartObject();
      g.writeStringField("source_name", "mitre-attack");
      g.writeStringField("external_id", id);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** What one STIX object says that the catalogue uses; everything else is skipped unread. */
  private static final class StixObject {
    String type = "";
    String id = "";
    String name;
    String attackId;
    final List<String> phases = new ArrayList<>();
    final List<String> tacticRefs = new ArrayList<>();
    boolean revoked;
    boolean deprecated;
    String shortname;
    String version;
    String relationship;
    String sourceRef;
    String targetRef;
  }

  /**
   * Reads MITRE's STIX 2.x bundle (enterprise-attack.json, ics-attack.json, mobile-attack.json)
   * object by object with a streaming parser, so a 50 MB file needs little memory.
   *
   * @throws IOException when the file is not JSON (with the line and column) or not a STIX bundle
   */
  public static AttackCatalog fromStix(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return fromStix(in, file.toString());
    }
  }

  public static AttackCatalog fromStix(InputStream in, String source) throws IOException {
    String name = null;
    String version = "";
    Map<String, String> idOf = new HashMap<>(); // STIX id -> ATT&CK id
    Map<String, StixObject> patterns = new LinkedHashMap<>(); // STIX id -> attack-pattern
    Map<String, String> revokedBy = new HashMap<>(); // STIX id -> STIX id
    Map<String, Tactic> tactics = new LinkedHashMap<>(); // tag -> tactic
    List<String> matrixOrder = new ArrayList<>(); // STIX ids of tactics
    Map<String, String> tacticTag = new HashMap<>(); // STIX id -> tag
    int objects = 0;
    int skipped = 0;
    try (JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(source + ": not a STIX bundle (a JSON object expected)");
      }
      boolean sawObjects = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!field.equals("objects")) {
          p.skipChildren();
          continue;
        }
        if (t != JsonToken.START_ARRAY) {
          throw new IOException(source + ": \"objects\" is not an array");
        }
        sawObjects = true;
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          if (next != JsonToken.START_OBJECT) {
            throw new IOException(
                source + ":" + p.currentLocation().getLineNr() + ": an object expected in objects");
          }
          StixObject o = object(p);
          objects++;
          switch (o.type) {
            case "attack-pattern" -> {
              if (o.attackId == null) {
                skipped++;
              } else {
                idOf.put(o.id, o.attackId);
                patterns.put(o.id, o);
              }
            }
            case "x-mitre-tactic" -> {
              if (o.shortname != null && !o.shortname.isEmpty()) {
                String tag = o.shortname.toLowerCase(Locale.ROOT).replace('-', '_');
                tactics.put(
                    tag,
                    new Tactic(
                        tag, o.name == null ? AttackCoverage.label(tag) : o.name, o.attackId));
                tacticTag.put(o.id, tag);
              }
            }
            case "x-mitre-matrix" -> matrixOrder.addAll(o.tacticRefs);
            case "x-mitre-collection" -> {
              name = o.name;
              version = o.version == null ? "" : o.version;
            }
            case "relationship" -> {
              if ("revoked-by".equals(o.relationship)) {
                revokedBy.put(o.sourceRef, o.targetRef);
              }
            }
            default -> {}
          }
        }
      }
      if (!sawObjects) {
        throw new IOException(
            source
                + ": not a STIX bundle (no \"objects\" array); use enterprise-attack.json from"
                + " MITRE's attack-stix-data repository");
      }
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new IOException(
          source
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not valid JSON: "
              + e.getOriginalMessage(),
          e);
    }
    if (patterns.isEmpty()) {
      throw new IOException(
          source
              + ": no ATT&CK technique among its "
              + objects
              + " objects; is it an ATT&CK bundle?");
    }
    List<Technique> out = new ArrayList<>();
    for (var e : patterns.entrySet()) {
      StixObject o = e.getValue();
      out.add(
          new Technique(
              o.attackId,
              o.name == null ? "" : o.name,
              List.copyOf(o.phases),
              o.deprecated,
              o.revoked,
              o.revoked ? idOf.get(revokedBy.get(e.getKey())) : null));
    }
    out.sort(java.util.Comparator.comparing(Technique::id));
    String title = name != null ? name : Path.of(source).getFileName().toString();
    return new AttackCatalog(
        new Content(title, version, order(tactics, matrixOrder, tacticTag, out), out, skipped));
  }

  // one object, the parser on its START_OBJECT; leaves it on the matching END_OBJECT
  private static StixObject object(JsonParser p) throws IOException {
    StixObject o = new StixObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "type" -> o.type = text(p, t);
        case "id" -> o.id = text(p, t);
        case "name" -> o.name = text(p, t);
        case "revoked" -> o.revoked = t == JsonToken.VALUE_TRUE;
        case "x_mitre_deprecated" -> o.deprecated = t == JsonToken.VALUE_TRUE;
        case "x_mitre_shortname" -> o.shortname = text(p, t);
        case "x_mitre_version" -> o.version = text(p, t);
        case "relationship_type" -> o.relationship = text(p, t);
        case "source_ref" -> o.sourceRef = text(p, t);
        case "target_ref" -> o.targetRef = text(p, t);
        case "tactic_refs" -> strings(p, t, o.tacticRefs);
        case "external_references" -> references(p, t, o);
        case "kill_chain_phases" -> phases(p, t, o);
        default -> p.skipChildren();
      }
    }
    return o;
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    return t == JsonToken.VALUE_NULL ? null : p.getText();
  }

  private static void strings(JsonParser p, JsonToken t, List<String> out) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String s = text(p, t);
      if (s != null) {
        out.add(s);
      }
    }
  }

  // [{source_name, external_id, ...}]: the ATT&CK id is the mitre-*attack source's
  private static void references(JsonParser p, JsonToken t, StixObject o) throws IOException {
    for (Map<String, String> r : objects(p, t)) {
      String src = r.getOrDefault("source_name", "");
      String id = r.get("external_id");
      if (o.attackId == null && src.startsWith("mitre-") && src.endsWith("attack") && id != null) {
        o.attackId = id.toUpperCase(Locale.ROOT);
      }
    }
  }

  private static void phases(JsonParser p, JsonToken t, StixObject o) throws IOException {
    for (Map<String, String> k : objects(p, t)) {
      if (k.getOrDefault("kill_chain_name", "").endsWith("attack")) {
        String tag = k.getOrDefault("phase_name", "").toLowerCase(Locale.ROOT).replace('-', '_');
        if (!tag.isEmpty() && !o.phases.contains(tag)) {
          o.phases.add(tag);
        }
      }
    }
  }

  // an array of flat objects, their text fields only
  private static List<Map<String, String>> objects(JsonParser p, JsonToken t) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return out;
    }
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      Map<String, String> m = new HashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        String v = text(p, p.nextToken());
        if (v != null) {
          m.put(f, v);
        }
      }
      out.add(m);
    }
    return out;
  }

  // the matrix's order when the bundle has one, else the enterprise order, then any others
  private static List<Tactic> order(
      Map<String, Tactic> tactics,
      List<String> matrixOrder,
      Map<String, String> shortnameOf,
      List<Technique> techniques) {
    Map<String, Tactic> all = new LinkedHashMap<>();
    for (String ref : matrixOrder) {
      String tag = shortnameOf.get(ref);
      if (tag != null && tactics.containsKey(tag)) {
        all.putIfAbsent(tag, tactics.get(tag));
      }
    }
    for (String tag : AttackCoverage.TACTICS) {
      if (tactics.containsKey(tag)) {
        all.putIfAbsent(tag, tactics.get(tag));
      }
    }
    all.putAll(tactics);
    for (Technique t : techniques) { // phases without a tactic object still get a column
      for (String tag : t.tactics()) {
        all.putIfAbsent(tag, new Tactic(tag, AttackCoverage.label(tag), null));
      }
    }
    return List.copyOf(all.values());
  }
}
