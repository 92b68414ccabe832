package dev.rampart.sigma.corpus;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.parse.Placeholders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared loading of the SigmaHQ rule set and of normalized corpus events, for corpus tests. */
final class SigmaHq {
  private static RuleSet rules;

  private SigmaHq() {}

  static synchronized RuleSet rules() throws IOException {
    if (rules == null) {
      Path root = Corpora.require("sigmahq-sigma");
      Placeholders ph =
          Placeholders.load(
              Path.of("src/test/resources/placeholders.yml"), Placeholders.Policy.STRICT);
      RuleLoader loader = new RuleLoader(ph);
      for (String f :
          new String[] {
            "rules",
            "rules-emerging-threats",
            "rules-threat-hunting",
            "rules-compliance",
            "rules-placeholder"
          }) {
        loader.add(root.resolve(f));
      }
      rules = loader.build();
    }
    return rules;
  }

  /** Every event of a JSON file, normalized. */
  static List<Event> events(Path file) throws IOException {
    List<Event> out = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(
            InputFiles.open(file), file.toString(), ReadOptions.DEFAULTS, new Problems(10))) {
      Event e = new Event();
      while (r.next(e)) {
        Normalizers.normalize(e);
        out.add(e.copy());
      }
    }
    return out;
  }
}
