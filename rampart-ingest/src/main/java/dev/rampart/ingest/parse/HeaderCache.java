package dev.rampart.ingest.parse;

import java.util.function.Function;

/**
 * The header of a message made of header lines and one data line, as the joiners of formats whose
 * data lines need their file's header (Zeek TSV, W3C) hand them on: parsed once per distinct header
 * text, since consecutive lines share it. One per parser (parsers are per thread).
 */
public final class HeaderCache<H> {
  private final Function<String, H> parse;
  private String text;
  private H parsed;

  public HeaderCache(Function<String, H> parse) {
    this.parse = parse;
  }

  /** The parsed header of {@code message}, whose data line starts at {@code cut}. */
  public H of(String message, int cut) {
    if (parsed == null || text.length() != cut || !message.startsWith(text)) {
      text = message.substring(0, cut);
      parsed = parse.apply(text);
    }
    return parsed;
  }
}
