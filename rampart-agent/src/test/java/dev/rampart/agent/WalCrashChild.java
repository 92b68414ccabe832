package dev.rampart.agent;

import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.io.ProblemSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Appends numbered records for ever, printing how many are durable after each sync (killed by the
 * test).
 */
public final class WalCrashChild {
  private WalCrashChild() {}

  public static void main(String[] args) throws Exception {
    try (AgentWal wal =
        AgentWal.open(Path.of(args[0]), AgentWal.Options.DEFAULTS, ProblemSink.IGNORE)) {
      for (int i = 0; ; i++) {
        wal.append(("record-" + i).getBytes(StandardCharsets.UTF_8));
        if (i % 10 == 9) {
          wal.sync();
          System.out.println("synced " + (i + 1));
          System.out.flush();
        }
      }
    }
  }
}
