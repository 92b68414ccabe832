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

  /** DATA/cases.db, which must exist (a usage error says how to point at the right folder). */
  public Path existingCaseDatabase() {
    Path db = dataDir().resolve("cases.db");
    if (!java.nio.file.Files.exists(db)) {
      throw new UsageException(
          "no case database at "
              + db
              + ": give the server's data folder with --data (or set RAMPART_DATA)");
    }
    return db;
  }

  public Path dataDir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("RAMPART_DATA");
    return Path.of(env != null && !env.isBlank() ? env : "data");
  }
}
