package dev.rampart.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  @TempDir Path dir;

  static final String TEXT = "{\"a\":1}\n{\"a\":2}\n";

  private Path write(String name, OutputStreamFactory f) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream out = f.wrap(Files.newOutputStream(p))) {
      out.write(TEXT.getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  interface OutputStreamFactory {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static String read(Path p) throws IOException {
    try (InputStream in = InputFiles.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void compressionIsRecognisedByContentNotName() throws IOException {
    assertThat(read(write("plain.json", o -> o))).isEqualTo(TEXT);
    assertThat(read(write("logs.json.gz", GZIPOutputStream::new))).isEqualTo(TEXT);
    assertThat(read(write("logs.json.zst", ZstdOutputStream::new))).isEqualTo(TEXT);
    assertThat(read(write("misnamed.log", GZIPOutputStream::new))).isEqualTo(TEXT);
    assertThat(read(write("misnamed-too.gz", o -> o))).isEqualTo(TEXT);
  }

  @Test
  void concatenatedGzipMembersAreOneStream() throws IOException {
    Path p = dir.resolve("multi.gz");
    try (OutputStream raw = Files.newOutputStream(p)) {
      for (int i = 0; i < 2; i++) {
        GZIPOutputStream gz = new GZIPOutputStream(raw);
        gz.write(TEXT.getBytes(StandardCharsets.UTF_8));
        gz.finish();
      }
    }
    assertThat(read(p)).isEqualTo(TEXT + TEXT);
  }

  @Test
  void tinyAndEmptyFiles() throws IOException {
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    assertThat(read(empty)).isEmpty();
    Path one = dir.resolve("one");
    Files.write(one, new byte[] {0x1f});
    assertThat(InputFiles.open(one).readAllBytes()).containsExactly(0x1f);
  }

  @Test
  void foldersExpandToSortedFilesWithoutHiddenOnes() throws IOException {
    Files.createDirectories(dir.resolve("d/sub"));
    Files.writeString(dir.resolve("d/b.json"), "");
    Files.writeString(dir.resolve("d/sub/a.json"), "");
    Files.writeString(dir.resolve("d/.hidden"), "");
    List<Path> files = InputFiles.expand(List.of(dir.resolve("d")));
    assertThat(files).containsExactly(dir.resolve("d/b.json"), dir.resolve("d/sub/a.json"));
  }
}
