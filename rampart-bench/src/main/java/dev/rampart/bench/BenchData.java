package dev.rampart.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds benchmark inputs in the shared corpora ({@code RAMPART_CORPORA}, else {@code
 * ../shared/corpora} from the working directory) and loads them into memory, so that benchmarks
 * measure parsing, not the disk.
 */
public final class BenchData {
  /** The largest OTRF dataset: 19 MB of Windows events as NDJSON (Security, Sysmon, PowerShell). */
  public static final String DEFAULT_PARSE_INPUT =
      "otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc.zip";

  private BenchData() {}

  public static Path corpora() {
    String env = System.getenv("RAMPART_CORPORA");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("rampart.corpora");
    return Path.of(prop != null ? prop : "../shared/corpora");
  }

  /**
   * Loads a file into memory; a {@code .zip} yields its first {@code .json} member, and gzip or
   * zstd files are decompressed.
   */
  public static byte[] load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "benchmark input not found: " + file + " (set RAMPART_CORPORA to the shared corpora)");
    }
    if (file.toString().endsWith(".zip")) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        ZipEntry entry =
            zip.stream()
                .filter(e -> e.getName().endsWith(".json"))
                .findFirst()
                .orElseThrow(() -> new IOException("no .json member in " + file));
        try (InputStream in = zip.getInputStream(entry)) {
          return in.readAllBytes();
        }
      }
    }
    try (InputStream in = dev.rampart.core.io.InputFiles.open(file)) {
      return in.readAllBytes();
    }
  }

  public static Path defaultParseInput() {
    return corpora().resolve(DEFAULT_PARSE_INPUT);
  }
}
