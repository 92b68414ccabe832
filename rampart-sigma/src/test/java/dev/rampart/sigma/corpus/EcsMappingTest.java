package dev.rampart.sigma.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The same SigmaHQ rules run on ECS-only events through the ECS mapping: every regression log is
 * rewritten the way Winlogbeat and Elastic Agent lay Windows events out (System values under {@code
 * winlog.*} and {@code event.code}, renamed fields at their ECS names, the rest under {@code
 * winlog.event_data.*}, no native names left), and every pair's rule must still fire, in both
 * engines. The rewrite is written here from Elastic's field layout, independently of ecs.yml.
 */
class EcsMappingTest {

  private static final Map<String, String> SYSTEM =
      Map.ofEntries(
          Map.entry("EventID", "event.code"),
          Map.entry("Channel", "winlog.channel"),
          Map.entry("Provider_Name", "winlog.provider_name"),
          Map.entry("Provider_Guid", "winlog.provider_guid"),
          Map.entry("Computer", "winlog.computer_name"),
          Map.entry("EventRecordID", "winlog.record_id"),
          Map.entry("Execution_ProcessID", "winlog.process.pid"),
          Map.entry("Execution_ThreadID", "winlog.process.thread.id"),
          Map.entry("Security_UserID", "winlog.user.identifier"),
          Map.entry("Version", "winlog.version"),
          Map.entry("Level", "winlog.level"),
          Map.entry("Task", "winlog.task"),
          Map.entry("Opcode", "winlog.opcode"),
          Map.entry("Keywords", "winlog.keywords"),
          Map.entry("Correlation", "winlog.activity_id"));

  /** Event data that Elastic's Windows and Sysmon pipelines move to ECS fields. */
  private static final Map<String, String> PROCESS =
      Map.ofEntries(
          Map.entry("Image", "process.executable"),
          Map.entry("CommandLine", "process.command_line"),
          Map.entry("ParentImage", "process.parent.executable"),
          Map.entry("ParentCommandLine", "process.parent.command_line"),
          Map.entry("CurrentDirectory", "process.working_directory"),
          Map.entry("ProcessId", "process.pid"),
          Map.entry("ProcessGuid", "process.entity_id"),
          Map.entry("ParentProcessId", "process.parent.pid"),
          Map.entry("ParentProcessGuid", "process.parent.entity_id"));

  private static final Set<String> PE =
      Set.of("OriginalFileName", "Product", "Company", "Description", "FileVersion");

  @Test
  void regressionPairsFireOnEcsEvents() throws IOException {
    Path root = Corpora.require("sigmahq-sigma");
    RuleSet set = SigmaHq.rules();
    LogsourceMapping mapping = LogsourceMapping.ecs();
    SigmaEngine engine = SigmaEngine.compile(set.rules(), mapping);
    SigmaMatcher matcher = engine.newMatcher();
    ReferenceEvaluator ref = new ReferenceEvaluator(mapping);
    JsonNode index = new ObjectMapper().readTree(root.resolve("regression_index.json").toFile());
    int fired = 0;
    List<String> misses = new ArrayList<>();
    for (JsonNode pair : index) {
      String id = pair.get("rule_id").asText();
      SigmaRule rule = set.rules().stream().filter(r -> id.equals(r.id())).findFirst().orElse(null);
      assertThat(rule).as("rule %s loaded", id).isNotNull();
      int ruleIndex = set.rules().indexOf(rule);
      boolean compiledHit = false;
      boolean referenceHit = false;
      for (Event native_ : SigmaHq.events(root.resolve(pair.get("json_path").asText()))) {
        Event e = toEcs(native_);
        int n = matcher.match(e);
        for (int i = 0; i < n; i++) {
          compiledHit |= matcher.matched(i) == ruleIndex;
        }
        referenceHit |= ref.matches(rule, e);
      }
      assertThat(compiledHit).as("compiled and reference agree on %s", id).isEqualTo(referenceHit);
      if (compiledHit) {
        fired++;
      } else {
        misses.add(id + " " + pair.get("rule_path").asText());
      }
    }
    System.out.printf("ECS mapping: %d of %d regression pairs fire%n", fired, index.size());
    misses.forEach(m -> System.out.println("  miss: " + m));
    assertThat(misses).isEmpty();
  }

  @Test
  void nativeNamesAreGoneAfterTheRewrite() throws IOException {
    Path root = Corpora.require("sigmahq-sigma");
    JsonNode first = new ObjectMapper().readTree(root.resolve("regression_index.json").toFile());
    Event e = toEcs(SigmaHq.events(root.resolve(first.get(0).get("json_path").asText())).get(0));
    assertThat(e.names()).allMatch(n -> n.contains(".") || n.startsWith("@"));
    assertThat(e.getText("winlog.channel")).isEqualTo("Microsoft-Windows-Sysmon/Operational");
  }

  /** A native Windows event as Winlogbeat/Elastic Agent would have shipped it. */
  static Event toEcs(Event in) {
    Event out = new Event();
    out.timestamp(in.timestamp());
    out.source(
        new EventSource("test", "", "")); // no Rampart log type: the mapping must not need one
    long eventId = in.has("EventID") ? Long.parseLong(in.getText("EventID")) : -1;
    String channel = in.has("Channel") ? in.getText("Channel") : "";
    boolean sysmon = channel.equals("Microsoft-Windows-Sysmon/Operational");
    for (int i = 0; i < in.size(); i++) {
      String name = in.name(i);
      Value v = in.value(i);
      if (name.contains(".") || name.startsWith("@")) {
        out.put(name, v); // Rampart's own ECS fields are already ECS
      } else if (SYSTEM.containsKey(name)) {
        String ecs = SYSTEM.get(name);
        out.put(ecs, ecs.equals("event.code") ? new Value.Str(in.text(i)) : v);
      } else {
        String ecs = ecsName(name, eventId, sysmon, channel);
        if (ecs != null) {
          out.put(ecs, ecsValue(name, in, i));
        }
        if (ecs == null || name.equals("User") || name.equals("IpAddress")) {
          // Elastic keeps what it did not rename (and the originals it splits) in event_data.
          out.put("winlog.event_data." + name, v);
        }
      }
    }
    return out;
  }

  private static String ecsName(String name, long id, boolean sysmon, String channel) {
    if (sysmon) {
      if (id == 8 || id == 10) {
        return switch (name) {
          case "SourceImage" -> "process.executable";
          case "SourceProcessId" -> "process.pid";
          default -> null;
        };
      }
      if (PROCESS.containsKey(name)) {
        return PROCESS.get(name);
      }
      if (PE.contains(name) && (id == 1 || id == 6 || id == 7)) {
        return (id == 1 ? "process.pe." : "file.pe.") + snake(name);
      }
      return switch (name) {
        case "User" -> "user.name";
        case "ImageLoaded" -> id == 6 || id == 7 ? "file.path" : null;
        case "TargetFilename" -> "file.path";
        case "TargetObject" -> "registry.path";
        case "QueryName" -> "dns.question.name";
        case "SourceIp" -> "source.ip";
        case "SourcePort" -> "source.port";
        case "DestinationIp" -> "destination.ip";
        case "DestinationPort" -> "destination.port";
        case "DestinationHostname" -> "destination.domain";
        case "SourceHostname" -> "source.domain";
        case "Protocol" -> "network.transport";
        case "Signed" -> "file.code_signature.signed";
        case "SignatureStatus" -> "file.code_signature.status";
        case "Signature" -> "file.code_signature.subject_name";
        default -> null;
      };
    }
    if (channel.equals("Security") && id == 4688) {
      return switch (name) {
        case "NewProcessName" -> "process.executable";
        case "ParentProcessName" -> "process.parent.executable";
        case "CommandLine" -> "process.command_line";
        default -> null;
      };
    }
    if (channel.equals("Security") && name.equals("IpAddress")) {
      return "source.ip";
    }
    if (name.equals("ScriptBlockText")) {
      return "powershell.file.script_block_text";
    }
    return null;
  }

  private static Value ecsValue(String name, Event in, int i) {
    String text = in.text(i);
    return switch (name) {
      case "User" ->
          new Value.Str(text.contains("\\") ? text.substring(text.indexOf('\\') + 1) : text);
      case "Signed" -> new Value.Bool(Boolean.parseBoolean(text));
      default -> in.kind(i) == Kind.STRING ? new Value.Str(text) : in.value(i);
    };
  }

  private static String snake(String pascal) {
    return switch (pascal) {
      case "OriginalFileName" -> "original_file_name";
      case "FileVersion" -> "file_version";
      default -> pascal.toLowerCase(java.util.Locale.ROOT);
    };
  }
}
