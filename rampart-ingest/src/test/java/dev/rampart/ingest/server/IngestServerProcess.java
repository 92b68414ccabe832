package dev.rampart.ingest.server;

import java.nio.file.Path;

/**
 * {@code IngestServerProcess CONFIG}: runs an {@link IngestServer} as {@code rampart serve} does,
 * in a JVM of its own, for tests that kill it.
 */
public final class IngestServerProcess {
  private IngestServerProcess() {}

  public static void main(String[] args) throws Exception {
    IngestServer server = IngestServer.start(IngestConfig.load(Path.of(args[0])));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
    server.describe().forEach(l -> System.out.println("listening: " + l));
    server.awaitShutdown();
  }

  private static void closeQuietly(IngestServer server) {
    try {
      server.close();
    } catch (java.io.IOException e) {
      System.err.println(e.getMessage());
    }
  }
}
