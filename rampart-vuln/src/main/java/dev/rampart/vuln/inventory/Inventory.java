package dev.rampart.vuln.inventory;

import dev.rampart.core.io.Problem;
import java.util.List;

/**
 * What an asset runs: its packages, and the problems met reading them (each with file and line or
 * JSON path; the rest of the file was still read).
 */
public record Inventory(String asset, List<Package> packages, List<Problem> problems) {
  public Inventory {
    packages = List.copyOf(packages);
    problems = List.copyOf(problems);
  }
}
