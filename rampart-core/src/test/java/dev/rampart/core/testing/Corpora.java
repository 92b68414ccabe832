package dev.rampart.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared test corpora (real public data, read in place, never copied into the project).
 *
 * <p>The location is {@code RAMPART_CORPORA}, else the {@code rampart.corpora} system property that
 * the build sets to {@code ../shared/corpora}. When a corpus is missing, the test is skipped with a
 * message saying so, except under {@code CI=true}, where corpus tests must run and a missing corpus
 * fails.
 */
public final class Corpora {
  private Corpora() {}

  public static Path root() {
    String env = System.getenv("RAMPART_CORPORA");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("rampart.corpora");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of("..", "..", "shared", "corpora");
  }

  /**
   * Returns {@code root()/relative}, or skips (fails under CI) the calling test when it is absent.
   */
  public static Path require(String relative) {
    Path p = root().resolve(relative).normalize();
    if (!Files.exists(p)) {
      String msg = "corpus not found: " + p + " (set RAMPART_CORPORA to ../shared/corpora)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg + "; corpus tests always run in CI");
      }
      System.err.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
    return p;
  }
}
