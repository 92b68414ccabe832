package dev.rampart.cli.parse;

import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.Parsers;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rampart parsers}: the parser registry. */
@Command(
    name = "parsers",
    mixinStandardHelpOptions = true,
    description = "Show the message parsers Rampart has.",
    subcommands = {ParsersCommand.ListParsers.class})
public final class ParsersCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code rampart parsers list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every parser with what it reads; 'auto' tries them in this order.",
      footer = {"", "Examples:", "  rampart parsers list"})
  public static final class ListParsers implements Callable<Integer> {
    @Override
    public Integer call() {
      for (Parser p : Parsers.all(ParseOptions.defaults())) {
        System.out.printf("%-8s %s%n", p.name(), p.description());
      }
      System.out.printf(
          "%-8s %s%n", "auto", "tries the parsers above in this order, first success wins");
      Parser raw = Parsers.named("raw", ParseOptions.defaults());
      System.out.printf("%-8s %s%n", raw.name(), raw.description());
      System.out.println();
      System.out.println(
          "JSON events then pass the normalizers; the first that knows the shape wins:");
      var normalizers = dev.rampart.core.normalize.Normalizers.all();
      int width = normalizers.stream().mapToInt(n -> n.name().length()).max().orElse(8);
      for (dev.rampart.core.normalize.Normalizer n : normalizers) {
        System.out.printf("  %-" + width + "s %s%n", n.name(), n.description());
      }
      return 0;
    }
  }
}
