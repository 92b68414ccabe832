package dev.rampart.cli.demo;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rampart demo}: what a newcomer runs first. Today it generates a day of a small
 * organisation's security logs with every attack scenario woven in, and profiles them; as the
 * platform grows (server, detection, console) the demo grows with it.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a sample dataset with every attack scenario (rampart simulate) into the data",
      "folder and show its field profile (rampart events stats)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart demo",
      "  rampart demo --events 1000000 --data /tmp/rampart-demo",
    })
public final class DemoCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "200000",
      description = "Events to generate (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "7",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path dir = data.dataDir().resolve("demo");
    Files.createDirectories(dir);
    Path events = dir.resolve("events.ndjson.gz");
    Path truth = dir.resolve("truth.ndjson");
    System.out.printf(
        Locale.ROOT,
        "Rampart demo: simulating %,d events of a 50-workstation office with every attack scenario%n%n",
        this.events);
    int rc = Main.execute("simulate", "--list");
    if (rc != 0) {
      return rc;
    }
    System.out.println();
    rc =
        Main.execute(
            "simulate",
            "--scenario",
            "all",
            "--events",
            Long.toString(this.events),
            "--seed",
            Long.toString(seed),
            "--out",
            events.toString(),
            "--truth",
            truth.toString());
    if (rc != 0) {
      return rc;
    }
    System.out.printf("%nField profile of %s:%n%n", events);
    System.out.flush();
    rc = Main.execute("events", "stats", events.toString(), "--top", "3");
    if (rc != 0) {
      return rc;
    }
    System.out.printf(
        "%nNext:%n"
            + "  ./rampart events cat %s --where 'CommandLine~-enc' --fields @timestamp,host.name,CommandLine%n"
            + "  ./rampart events cat %s --where EventID=7045%n"
            + "  The ground truth (which events are attacks) is in %s%n",
        events, events, truth);
    return ExitCodes.OK;
  }
}
