package dev.rampart.agent.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent and the server say to each other, over HTTPS on the server's agent port. Enrolment
 * is JSON with a one-time token; everything after it needs the agent's client certificate, which
 * the agent renews over the same link before it expires (the answer is an enrolment answer). A
 * batch is binary: a magic number, a count, then per record its sequence number, the sequence after
 * it and its bytes (an event in the spool's encoding). The server answers with the sequence up to
 * which it holds everything, which the agent acknowledges in its write-ahead log.
 */
public final class Protocol {
  public static final String ENROLL = "/agent/v1/enroll";
  public static final String BATCH = "/agent/v1/batch";
  public static final String HEARTBEAT = "/agent/v1/heartbeat";
  public static final String RENEW = "/agent/v1/renew";

  /** Bounds a batch: records, and bytes of one record. */
  public static final int MAX_RECORDS = 2000;

  public static final int MAX_RECORD_BYTES = 4 << 20;

  static final int MAGIC = 0x52414231; // "RAB1"

  private Protocol() {}

  /** A record in a batch. */
  public record Item(long seq, long next, byte[] data) {}

  /** The enrolment request; {@code csr} is a PEM PKCS#10 request. */
  public record EnrollRequest(String token, String name, String version, String csr) {}

  /**
   * A renewal: a PEM PKCS#10 request for the agent's new key, sent with its current certificate.
   */
  public record RenewRequest(String csr) {}

  /** The enrolment answer: the agent's id, its certificate and the agent CA's, in PEM. */
  public record EnrollResponse(String agentId, String certificate, String ca) {}

  /**
   * A response action the server orders, signed by its agent CA's key. The agent checks the
   * signature, that the command is its own, unexpired and not seen before (the nonce), and that the
   * action is on its allow-list; {@code undoAfterS} above 0 undoes it that long after.
   */
  public record Command(
      String id,
      String agentId,
      String action,
      java.util.Map<String, String> args,
      boolean dryRun,
      long undoAfterS,
      long issuedAt,
      long expiresAt,
      String nonce) {}

  /** A command as sent: its JSON bytes (base64) and the signature over exactly those bytes. */
  public record Envelope(String payload, String signature) {}

  /** The server's answer to a batch. */
  public record Ack(long ack, long accepted, long duplicates, long rejected) {}

  public static byte[] encode(List<Item> items) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(items.size());
      for (Item i : items) {
        out.writeLong(i.seq());
        out.writeLong(i.next());
        out.writeInt(i.data().length);
        out.write(i.data());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a batch, checking every bound before allocating.
   *
   * @throws IOException naming the record and what is wrong with it
   */
  public static List<Item> decode(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    try {
      if (d.readInt() != MAGIC) {
        throw new IOException("not an agent batch (bad magic number)");
      }
      int n = d.readInt();
      if (n < 0 || n > MAX_RECORDS) {
        throw new IOException("batch of " + n + " records (at most " + MAX_RECORDS + ")");
      }
      List<Item> out = new ArrayList<>(n);
      long last = -1;
      for (int i = 0; i < n; i++) {
        long seq = d.readLong();
        long next = d.readLong();
        int len = d.readInt();
        if (seq <= last || next <= seq) {
          throw new IOException("record " + i + ": sequence " + seq + " out of order");
        }
        if (len < 0 || len > MAX_RECORD_BYTES) {
          throw new IOException("record " + i + ": " + len + " bytes");
        }
        byte[] data = new byte[len];
        d.readFully(data);
        out.add(new Item(seq, next, data));
        last = seq;
      }
      return out;
    } catch (EOFException e) {
      throw new IOException("the batch ends early", e);
    }
  }
}
