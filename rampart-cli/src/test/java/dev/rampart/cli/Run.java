package dev.rampart.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command line in-process and captures what it prints. */
record Run(int code, String out, String err) {

  static synchronized Run of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      CommandLine cl = Main.commandLine();
      cl.setOut(
          new java.io.PrintWriter(new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8), true));
      cl.setErr(
          new java.io.PrintWriter(new java.io.OutputStreamWriter(e, StandardCharsets.UTF_8), true));
      int code = cl.execute(args);
      o.flush();
      e.flush();
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
