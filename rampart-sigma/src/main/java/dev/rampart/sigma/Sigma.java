package dev.rampart.sigma;

import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import java.nio.file.Path;

/**
 * The entry point of rampart-sigma: load rules, compile them once, match events on each thread.
 *
 * <pre>{@code
 * RuleSet rules = Sigma.load(Path.of("rules"));          // files, folders, zips
 * rules.problems().forEach(System.err::println);           // file:line:column: what and why
 * SigmaEngine engine = Sigma.compile(rules);               // shared, thread-safe
 * SigmaMatcher matcher = engine.newMatcher();              // one per thread, no allocation
 * int n = matcher.match(event);                            // a normalized core Event
 * for (int i = 0; i < n; i++) {
 *   SigmaRule rule = engine.rule(matcher.matched(i));
 *   System.out.println(rule.level().label() + " " + rule.title());
 * }
 * }</pre>
 *
 * <p>{@link dev.rampart.sigma.eval.ReferenceEvaluator} is the plain one-rule-at-a-time interpreter
 * the compiled engine is tested against, and {@link dev.rampart.sigma.eval.Explainer} tells why a
 * rule did or did not match.
 */
public final class Sigma {
  private Sigma() {}

  /** Loads rules from files, folders and zip archives, collecting every problem. */
  public static RuleSet load(Path... paths) {
    RuleLoader loader = new RuleLoader();
    for (Path p : paths) {
      loader.add(p);
    }
    return loader.build();
  }

  /** Compiles the detection rules of a set with Rampart's default log source mapping. */
  public static SigmaEngine compile(RuleSet rules) {
    return compile(rules, LogsourceMapping.defaults());
  }

  /** Compiles with a given mapping ({@link LogsourceMapping#ecs()} for ECS-normalized events). */
  public static SigmaEngine compile(RuleSet rules, LogsourceMapping mapping) {
    return SigmaEngine.compile(rules.rules(), mapping);
  }
}
