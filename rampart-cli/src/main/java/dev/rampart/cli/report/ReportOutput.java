package dev.rampart.cli.report;

import dev.rampart.cli.UsageException;
import dev.rampart.server.report.ReportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Option;

/** The {@code --format} and {@code --out} options of the commands that write reports. */
public final class ReportOutput {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "md",
      description = "md, html or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write it to FILE instead of standard output.")
  Path out;

  /** The format asked for; a usage error when it is none of them. */
  public ReportFormat format() {
    ReportFormat f = ReportFormat.parse(format);
    if (f == null) {
      throw new UsageException("--format is md, html or json; not '" + format + "'");
    }
    return f;
  }

  /**
   * Prints {@code text}, or writes it to the file whole (a temporary file renamed into place, so a
   * reader never sees half a report) and says so on stderr.
   */
  public void write(String text, String what) throws IOException {
    if (out == null) {
      System.out.print(text);
      return;
    }
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".report", ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.println("wrote " + what + " to " + out);
  }
}
