package dev.rampart.cli.events;

import dev.rampart.cli.Progress;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.files.LogFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the events of many files for the {@code events} commands: folders expanded, compression
 * handled, events normalized unless raw, problems printed as {@code file:line: byte N: ...} (the
 * first {@link #PRINTED}, then a count), and under {@code --strict} the first error stops
 * everything with exit code 2. A file that cannot be read at all is reported and skipped.
 */
final class EventInput {
  static final int PRINTED = 50;

  private final LogFiles.Options reading;
  private final boolean strict;
  private final PrintStream err;
  private final Problems problems;
  private long files;
  private long events;
  private long unreadable;

  EventInput(LogFiles.Options reading, boolean strict, PrintStream err) {
    this.reading = reading;
    this.strict = strict;
    this.err = err;
    this.problems =
        new Problems(
            1000,
            p -> {
              if (strict && p.isError()) {
                throw new UsageException(p + " (--strict stops at the first error)");
              }
              print(p);
            });
  }

  private int printed;

  private synchronized void print(Problem p) {
    if (printed++ < PRINTED) {
      err.println(p);
    }
  }

  /** Calls {@code sink} with every event of every file (the event is reused between calls). */
  void forEach(List<Path> paths, String label, Consumer<Event> sink) throws IOException {
    try (LogFiles.Inputs inputs = LogFiles.open(paths)) {
      inputs.problems().forEach(problems::report);
      List<Path> expanded = inputs.files();
      if (expanded.isEmpty()) {
        throw new UsageException("no input files (give files or folders)");
      }
      for (Path p : expanded) {
        if (!Files.isRegularFile(p)) {
          throw new UsageException("not a readable file: " + p);
        }
      }
      try (Progress progress = Progress.start(label, 0, "events")) {
        for (Path file : expanded) {
          files++;
          try {
            LogFiles.read(
                file,
                null,
                reading,
                problems,
                (e, line, offset) -> {
                  sink.accept(e);
                  events++;
                  if ((events & 1023) == 0) {
                    progress.set(events);
                  }
                });
          } catch (NoSuchFileException ex) {
            throw ex;
          } catch (IOException ex) {
            unreadable++;
            problems.report(
                Problem.error(LogFiles.name(file), 0, -1, "cannot read: " + ex.getMessage()));
          }
        }
        progress.set(events);
      }
    }
    if (printed > PRINTED) {
      err.printf("... and %d more problems%n", printed - PRINTED);
    }
  }

  long files() {
    return files;
  }

  long events() {
    return events;
  }

  long unreadableFiles() {
    return unreadable;
  }

  Problems problems() {
    return problems;
  }
}
