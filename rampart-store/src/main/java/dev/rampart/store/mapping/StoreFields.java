package dev.rampart.store.mapping;

import java.util.Set;

/** Names of the Lucene fields the store adds beside the event's own. */
public final class StoreFields {
  /** The event id: its spool offset, or an import sequence number (long, stored, points). */
  public static final String ID = "_id";

  /** The whole event in the spool's binary encoding (stored, compressed by Lucene). */
  public static final String SOURCE = "_source";

  /** The event time, epoch nanoseconds (points and doc values). */
  public static final String TIMESTAMP = "@timestamp";

  /** The event's source, as the JSON form names it. */
  public static final String INPUT = "rampart.input";

  public static final String HOST = "rampart.host";
  public static final String LOG_TYPE = "rampart.log_type";

  /** Suffix of the whole-value, lower-cased postings of a text field (wildcards, ranges). */
  public static final String WHOLE = "#k";

  /** Event fields with these names stay in the stored event only: the store's own use them. */
  public static final Set<String> RESERVED = Set.of(ID, SOURCE, TIMESTAMP);

  /** Ids of events loaded by {@code store import} (not from the spool) start here. */
  public static final long IMPORT_BASE = 1L << 62;

  private StoreFields() {}
}
