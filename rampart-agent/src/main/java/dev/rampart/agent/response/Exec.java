package dev.rampart.agent.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program with arguments (never a shell: arguments are never re-parsed) and returns its exit
 * status and first 4 KB of output. A seam: response actions are tested with a recording stand-in.
 */
public interface Exec {
  /** What a run gave. */
  record Result(int status, String output) {
    public boolean ok() {
      return status == 0;
    }
  }

  Result run(List<String> argv) throws IOException, InterruptedException;

  /** The real one: a process, killed after 30 s. */
  Exec PROCESS =
      argv -> {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readNBytes(4096);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Result(-1, "timed out after 30 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
      };

  /** Records what would run and pretends it worked: dry runs. */
  final class Recording implements Exec {
    public final List<List<String>> ran = new ArrayList<>();

    @Override
    public Result run(List<String> argv) {
      ran.add(List.copyOf(argv));
      return new Result(0, "");
    }
  }
}
