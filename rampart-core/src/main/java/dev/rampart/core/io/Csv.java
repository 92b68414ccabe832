package dev.rampart.core.io;

import java.util.List;
import java.util.regex.Pattern;

/**
 * CSV cells and rows for the files people open in a spreadsheet: quoted as RFC 4180 says, and never
 * a formula. Every export of Rampart (search results, hunt matches, findings, coverage, reports)
 * goes through here, because what it exports is written by attackers: a command line {@code =cmd|'
 * /C calc'!A0} in an alert would run on the analyst's machine when the file is opened (CSV
 * injection, OWASP). A cell that starts with {@code = + - @}, a tab or a carriage return gets a
 * leading apostrophe, which spreadsheets show as text; plain numbers ({@code -5}, {@code -0.25})
 * are left as they are.
 *
 * <p>Written by hand rather than with jackson-dataformat-csv (which reads CSV in
 * rampart-prevention): rampart-core keeps to Jackson's streaming API, and that module needs
 * databind even to write.
 */
public final class Csv {
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  private Csv() {}

  /** One cell: null as empty, a formula defused, quoted when it holds a comma, quote or newline. */
  public static String cell(Object value) {
    String s = value == null ? "" : value.toString();
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !NUMBER.matcher(s).matches()) {
      s = "'" + s;
    }
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  /** One row of cells, without the line end. */
  public static String row(List<?> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(cell(cells.get(i)));
    }
    return sb.toString();
  }

  /** {@link #row(List)} of the arguments. */
  public static String row(Object... cells) {
    return row(java.util.Arrays.asList(cells));
  }
}
