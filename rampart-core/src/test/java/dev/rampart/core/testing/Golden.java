package dev.rampart.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file assertions: {@code <case>.expected.json} beside the case's input. Run the build with
 * {@code -Dgolden.update=true} to rewrite the expected files from the current output, then review
 * the diff.
 */
public final class Golden {
  private Golden() {}

  public static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  /**
   * Compares {@code actual} with the file in {@code src/test/resources/<relative>} (resolved from
   * the module directory), or writes it when updating.
   */
  public static void assertMatches(String relative, String actual) {
    Path file = Path.of("src", "test", "resources").resolve(relative);
    try {
      if (updating() || !Files.exists(file)) {
        if (!updating()) {
          throw new AssertionError(
              "golden file " + file + " is missing; run with -Dgolden.update=true to create it");
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual)
          .as("golden file %s (update with -Dgolden.update=true)", file)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
