package dev.rampart.core.event;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One typed field value, as an immutable object.
 *
 * <p>Events store values column-wise without these wrappers; {@link Event#value(int)} materializes
 * one when a caller wants a self-contained value (tests, lists, objects inside lists, the slow
 * paths). Hot-path code reads {@link Event#kind(int)} and the typed accessors instead.
 */
public sealed interface Value {

  Kind kind();

  /** A text rendering: the value as a log reader would write it (numbers in canonical form). */
  String asText();

  /** JSON null: present but empty. */
  record Null() implements Value {
    public static final Null INSTANCE = new Null();

    @Override
    public Kind kind() {
      return Kind.NULL;
    }

    @Override
    public String asText() {
      return "null";
    }
  }

  record Str(String value) implements Value {
    @Override
    public Kind kind() {
      return Kind.STRING;
    }

    @Override
    public String asText() {
      return value;
    }
  }

  record Int64(long value) implements Value {
    @Override
    public Kind kind() {
      return Kind.LONG;
    }

    @Override
    public String asText() {
      return Long.toString(value);
    }
  }

  record Float64(double value) implements Value {
    @Override
    public Kind kind() {
      return Kind.DOUBLE;
    }

    @Override
    public String asText() {
      return Numbers.doubleText(value);
    }
  }

  record Bool(boolean value) implements Value {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    public static Bool of(boolean b) {
      return b ? TRUE : FALSE;
    }

    @Override
    public Kind kind() {
      return Kind.BOOLEAN;
    }

    @Override
    public String asText() {
      return value ? "true" : "false";
    }
  }

  record Ip(IpAddress value) implements Value {
    @Override
    public Kind kind() {
      return Kind.IP;
    }

    @Override
    public String asText() {
      return value.toString();
    }
  }

  /** An instant in nanoseconds since the epoch, UTC. */
  record Time(long epochNanos) implements Value {
    @Override
    public Kind kind() {
      return Kind.TIMESTAMP;
    }

    @Override
    public String asText() {
      return Timestamps.format(epochNanos);
    }
  }

  /** A number too large or too precise for long/double, as its exact JSON text. */
  record BigNumber(String text) implements Value {
    @Override
    public Kind kind() {
      return Kind.BIG_NUMBER;
    }

    @Override
    public String asText() {
      return text;
    }
  }

  @SuppressWarnings("ArrayRecordComponent") // equals and hashCode below compare contents
  record Binary(byte[] bytes) implements Value {
    @Override
    public Kind kind() {
      return Kind.BINARY;
    }

    @Override
    public String asText() {
      return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Binary[" + asText() + "]";
    }
  }

  /** A list; elements keep their own kinds (JSON arrays may mix them). */
  record ListValue(List<Value> items) implements Value {
    public ListValue {
      items = List.copyOf(items);
    }

    @Override
    public Kind kind() {
      return Kind.LIST;
    }

    @Override
    public String asText() {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(items.get(i).asText());
      }
      return sb.append(']').toString();
    }
  }

  /** An object inside a list, with its own flattened fields. */
  record Obj(Event fields) implements Value {
    @Override
    public Kind kind() {
      return Kind.OBJECT;
    }

    @Override
    public String asText() {
      return fields.toString();
    }
  }
}
