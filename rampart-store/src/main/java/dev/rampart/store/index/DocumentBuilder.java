package dev.rampart.store.index;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.StoreFields;
import dev.rampart.store.mapping.Values;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

/**
 * Turns an event into the Lucene fields of its document, by the {@link Mapping}: objects flatten to
 * dotted names, list items index as several values of one field, a value that does not fit its
 * field's type is left out (and counted; it stays in the stored event). One per thread.
 */
public final class DocumentBuilder {
  /** Text: words with positions (phrases), no norms (hunting does not rank by length). */
  static final org.apache.lucene.document.FieldType TEXT =
      new org.apache.lucene.document.FieldType();

  static {
    TEXT.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    TEXT.setTokenized(true);
    TEXT.setOmitNorms(true);
    TEXT.freeze();
  }

  private final Mapping mapping;
  private final List<IndexableField> doc = new ArrayList<>(96);
  private long unindexed;

  public DocumentBuilder(Mapping mapping) {
    this.mapping = mapping;
  }

  /** Values left out of the index because they did not fit their field's type, so far. */
  public long unindexed() {
    return unindexed;
  }

  /**
   * The fields of {@code e}'s document with id {@code id}, the stored event being {@code
   * source[off, off+len)} (the spool's encoding). The list is reused by the next call.
   */
  public List<IndexableField> build(Event e, long id, byte[] source, int off, int len) {
    doc.clear();
    doc.add(new LongField(StoreFields.ID, id, Field.Store.YES));
    doc.add(new LongField(StoreFields.TIMESTAMP, e.timestamp(), Field.Store.NO));
    doc.add(new StoredField(StoreFields.SOURCE, new BytesRef(source, off, len)));
    var s = e.source();
    sourceKeyword(StoreFields.INPUT, s.input());
    sourceKeyword(StoreFields.HOST, s.host());
    sourceKeyword(StoreFields.LOG_TYPE, s.logType());
    fields(e, "");
    return doc;
  }

  private void sourceKeyword(String name, String v) {
    if (!v.isEmpty()) {
      mapping.resolve(name, Kind.STRING);
      keyword(name, v);
    }
  }

  private void fields(Event e, String prefix) {
    for (int i = 0; i < e.size(); i++) {
      String name = prefix.isEmpty() ? e.name(i) : prefix + e.name(i);
      Kind k = e.kind(i);
      if (k == Kind.OBJECT) {
        fields(e.objectValue(i), name + ".");
        continue;
      }
      if (k == Kind.NULL || StoreFields.RESERVED.contains(name)) {
        continue;
      }
      if (k == Kind.LIST) {
        for (Value item : e.listValue(i)) {
          if (item instanceof Value.Obj o) {
            fields(o.fields(), name + ".");
          } else if (!(item instanceof Value.Null) && !(item instanceof Value.ListValue)) {
            value(name, item, mapping.resolve(name, item.kind()));
          }
        }
        continue;
      }
      FieldType t = mapping.resolve(name, k);
      if (k == Kind.STRING && (t == FieldType.KEYWORD || t == FieldType.TEXT)) {
        text(name, e.string(i), t); // the common case, without a Value
      } else if (k == Kind.LONG && t == FieldType.LONG) {
        doc.add(new LongField(name, e.longValue(i), Field.Store.NO));
      } else {
        value(name, e.value(i), t);
      }
    }
  }

  private void value(String name, Value v, FieldType t) {
    switch (t) {
      case KEYWORD, TEXT -> {
        String s = v instanceof Value.Str x ? x.value() : Values.keyword(v);
        if (s != null) {
          text(name, s, t);
        } else {
          unindexed++;
        }
      }
      case BOOLEAN -> {
        String b = Values.asBoolean(v);
        if (b != null) {
          keyword(name, b);
        } else {
          unindexed++;
        }
      }
      case LONG -> {
        Long l = Values.asLong(v);
        if (l != null) {
          doc.add(new LongField(name, l, Field.Store.NO));
        } else {
          unindexed++;
        }
      }
      case DATE -> {
        Long l = Values.asDate(v);
        if (l != null) {
          doc.add(new LongField(name, l, Field.Store.NO));
        } else {
          unindexed++;
        }
      }
      case DOUBLE -> {
        Double d = Values.asDouble(v);
        if (d != null) {
          doc.add(new DoubleField(name, d, Field.Store.NO));
        } else {
          unindexed++;
        }
      }
      case IP -> {
        IpAddress ip = Values.asIp(v);
        if (ip != null) {
          doc.add(new InetAddressPoint(name, ip.toInetAddress()));
          doc.add(new SortedSetDocValuesField(name, new BytesRef(ip.toString())));
        } else {
          unindexed++;
        }
      }
      case NONE -> {}
    }
  }

  private void text(String name, String s, FieldType t) {
    if (t == FieldType.TEXT) {
      doc.add(new Field(name, s, TEXT));
      BytesRef whole = new BytesRef(Values.truncate(s));
      doc.add(new StringField(name + StoreFields.WHOLE, folded(whole, s), Field.Store.NO));
      doc.add(new SortedSetDocValuesField(name, whole));
    } else {
      keyword(name, s);
    }
  }

  private void keyword(String name, String s) {
    BytesRef original = new BytesRef(Values.truncate(s));
    doc.add(new StringField(name, folded(original, s), Field.Store.NO));
    doc.add(new SortedSetDocValuesField(name, original));
  }

  /**
   * {@link Values#folded} as UTF-8, from the value's UTF-8 without a second encoding: the same
   * bytes when nothing changes (most values), ASCII lower-cased in place of a copy, and the general
   * rule only for values that are not ASCII.
   */
  static BytesRef folded(BytesRef utf8, String s) {
    byte[] b = utf8.bytes;
    int end = utf8.offset + utf8.length;
    int i = utf8.offset;
    while (i < end && b[i] >= 0 && (b[i] < 'A' || b[i] > 'Z')) {
      i++;
    }
    if (i == end) {
      return utf8;
    }
    for (int j = i; j < end; j++) {
      if (b[j] < 0) {
        return new BytesRef(Values.folded(Values.truncate(s)));
      }
    }
    byte[] lower = java.util.Arrays.copyOfRange(b, utf8.offset, end);
    for (int j = i - utf8.offset; j < lower.length; j++) {
      if (lower[j] >= 'A' && lower[j] <= 'Z') {
        lower[j] += 'a' - 'A';
      }
    }
    return new BytesRef(lower);
  }
}
