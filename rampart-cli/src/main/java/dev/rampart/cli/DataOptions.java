package dev.rampart.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option every stateful command takes. */
public final class DataOptions {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Folder for Rampart's state (default: $RAMPART_DATA or ./data).")
  Path data;

  public Path dataDir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("RAMPART_DATA");
    return Path.of(env != null && !env.isBlank() ? env : "data");
  }
}
