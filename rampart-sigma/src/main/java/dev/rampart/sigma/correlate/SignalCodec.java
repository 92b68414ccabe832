package dev.rampart.sigma.correlate;

import dev.rampart.sigma.correlate.Correlator.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signals as bytes, for state a host keeps and streams between its operators (Flink's keyed state
 * and network): explicit and versioned, so a checkpoint written by one build is read by the next,
 * and no general-purpose serializer guesses at the record's shape. Layout, version 1: a version
 * byte, a count, then per signal: source, time, field count, (name, value) pairs, ref; strings as
 * an int length and UTF-8 bytes, a null as length -1.
 */
public final class SignalCodec {
  public static final int VERSION = 1;

  private SignalCodec() {}

  public static byte[] encode(Signal s) {
    return encode(List.of(s));
  }

  public static byte[] encode(List<Signal> signals) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * Math.max(1, signals.size()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(signals.size());
      for (Signal s : signals) {
        string(out, s.source());
        out.writeLong(s.time());
        out.writeInt(s.fields().size());
        for (Map.Entry<String, String> f : s.fields().entrySet()) {
          string(out, f.getKey());
          string(out, f.getValue());
        }
        string(out, s.ref());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // memory only
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not signals of a version this build reads
   */
  public static List<Signal> decode(byte[] b) {
    if (b == null || b.length == 0) {
      return List.of();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "signals of encoding version " + version + "; this build reads " + VERSION);
      }
      int n = in.readInt();
      List<Signal> out = new ArrayList<>(Math.min(n, 1024));
      for (int i = 0; i < n; i++) {
        String source = string(in);
        long time = in.readLong();
        int k = in.readInt();
        Map<String, String> fields = new LinkedHashMap<>();
        for (int j = 0; j < k; j++) {
          fields.put(string(in), string(in));
        }
        out.add(new Signal(source, time, fields, string(in)));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated signals: " + e.getMessage(), e);
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("a string of " + n + " bytes has " + b.length);
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}
