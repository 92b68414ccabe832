package dev.rampart.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.file.EvtxReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large file read in chunk ranges (as hunt does on several threads) gives the same records. */
class RangeReadTest {
  @TempDir Path dir;

  @Test
  void rangesTogetherEqualTheWholeFile() throws IOException {
    // A big file from real chunks: one file header, then the chunks of many corpus files.
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Corpora.require("evtx-attack-samples"))) {
      files = walk.filter(Evtx::isEvtx).sorted().toList();
    }
    boolean header = false;
    for (Path f : files) {
      byte[] b;
      try (InputStream in = InputFiles.open(f)) {
        b = in.readAllBytes();
      }
      if (!header) {
        big.write(b, 0, EvtxReader.FILE_HEADER_SIZE);
        header = true;
      }
      for (int off = EvtxReader.FILE_HEADER_SIZE;
          off + EvtxReader.CHUNK_SIZE <= b.length;
          off += EvtxReader.CHUNK_SIZE) {
        big.write(b, off, EvtxReader.CHUNK_SIZE);
      }
    }
    big.write(new byte[1000]); // a torn tail
    Path file = dir.resolve("big.evtx");
    Files.write(file, big.toByteArray());

    List<String> whole = new ArrayList<>();
    Problems p1 = new Problems(100);
    Evtx.read(file, p1, r -> whole.add(r.chunk() + "/" + r.recordId() + "@" + r.fileOffset()));
    List<Evtx.Range> ranges = Evtx.ranges(file, 7);
    assertThat(ranges).hasSizeGreaterThan(10);
    List<String> parts = new ArrayList<>();
    Problems p2 = new Problems(100);
    for (Evtx.Range range : ranges) {
      Evtx.read(range, p2, r -> parts.add(r.chunk() + "/" + r.recordId() + "@" + r.fileOffset()));
    }
    System.out.printf(
        "range read: %d chunks in %d ranges, %d records%n",
        (big.size() - 4096) / 65536, ranges.size(), whole.size());
    assertThat(parts).isEqualTo(whole);
    assertThat(p2.total()).isEqualTo(p1.total());
  }
}
