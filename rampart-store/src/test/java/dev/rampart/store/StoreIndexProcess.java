package dev.rampart.store;

import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.Spool;
import java.nio.file.Path;
import java.util.Map;

/**
 * A separate JVM for {@link StoreCrashTest}: indexes a spool into a store, committing every few
 * thousand events, until it is killed.
 */
public final class StoreIndexProcess {
  private StoreIndexProcess() {}

  public static void main(String[] args) throws Exception {
    Path spoolDir = Path.of(args[0]);
    Path storeDir = Path.of(args[1]);
    try (Spool spool = Spool.open(spoolDir, Spool.Options.defaults(), ProblemSink.IGNORE);
        EventStore store =
            EventStore.open(
                storeDir,
                new StoreOptions(
                    new dev.rampart.store.index.Indexer.Options(2, 16), Map.of(), 3_000))) {
      System.out.println("ready");
      System.out.flush();
      store.indexSpool(spool, x -> {});
      System.out.println("done");
      Thread.sleep(60_000);
    }
  }
}
