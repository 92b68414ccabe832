package dev.rampart.server.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.rampart.agent.transport.Protocol;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.event.Event;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.server.tls.Certificates;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.Closeable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' port: HTTPS with the API's certificate, asking every client for a certificate signed
 * by the {@link AgentCa}. Enrolment is the one call without one (it carries a one-time token
 * instead); batches, heartbeats and certificate renewals are refused without a valid certificate of
 * an active agent whose serial is the one it was issued (or the renewed one, which from its first
 * use on is the only one). A batch's records below the agent's deduplication point are counted as
 * duplicates and skipped; the rest go to the {@link Intake}, which makes them durable before the
 * point moves and the answer acknowledges them.
 */
public final class AgentGateway implements Closeable {
  /** Where the agents' port listens; {@code port} 0 picks a free one. */
  public record Options(String bind, int port, int maxBatchMb) {}

  /** Where accepted records go: the platform's spool (and the vulnerability module). */
  public interface Intake {
    /** One record of {@code agent}, decoded; durable once {@link #flush} returns. */
    void accept(AgentRegistry.Agent agent, Event e) throws IOException;

    void flush() throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(AgentGateway.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final AgentRegistry registry;
  private final AgentCa ca;
  private final AgentActions actions;
  private final Intake intake;
  private final Javalin app;
  // one batch at a time per agent: two in flight could both pass the deduplication point
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
  public final AtomicLong accepted = new AtomicLong();
  public final AtomicLong duplicates = new AtomicLong();
  public final AtomicLong rejected = new AtomicLong();

  public AgentGateway(
      Options options,
      AgentRegistry registry,
      AgentCa ca,
      AgentActions actions,
      Certificates.Loaded tls,
      Intake intake)
      throws IOException {
    this.registry = registry;
    this.actions = actions;
    this.ca = ca;
    this.intake = intake;
    java.security.KeyStore trust;
    try {
      trust = ca.trustStore();
    } catch (GeneralSecurityException e) {
      throw new IOException("agent CA: " + e.getMessage(), e);
    }
    this.app =
        Javalin.create(
            config -> {
              config.http.maxRequestSize = options.maxBatchMb() * (1L << 20);
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              // client certificates wanted, not needed: enrolment comes before the agent has
              // one; every other call checks for one (a presented one is always verified)
              config.jetty.addConnector(
                  (server, http) ->
                      Certificates.connector(
                          server, http, tls, trust, options.bind(), options.port()));
              config.routes.post(Protocol.ENROLL, this::enroll);
              config.routes.post(Protocol.BATCH, this::batch);
              config.routes.post(Protocol.HEARTBEAT, this::heartbeat);
              config.routes.post(Protocol.RENEW, this::renew);
              config.routes.exception(
                  Refused.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
              config.routes.exception(
                  CaseException.class,
                  (e, ctx) ->
                      error(ctx, dev.rampart.server.http.Statuses.of(e.kind()), e.getMessage()));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.warn("agent {} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error; the server log has the details");
                  });
            });
    app.start();
  }

  public int port() {
    return app.port();
  }

  /**
   * The JSON body of a call named {@code what}, at most {@code maxKb}: a body too large is 413, one
   * that is not the expected JSON 400 with where it breaks (it was a 500 and a stack trace).
   */
  private static JsonNode json(Context ctx, String what, int maxKb) throws Refused {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > maxKb * 1024) {
      throw new Refused(413, what + " larger than " + maxKb + " KB");
    }
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || !n.isObject()) {
        throw new Refused(400, what + ": a JSON object expected");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var at = e.getLocation();
      throw new Refused(
          400,
          what
              + ": not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw new Refused(400, what + ": " + e.getMessage());
    }
  }

  private static <T> T json(Context ctx, String what, int maxKb, Class<T> type) throws Refused {
    JsonNode n = json(ctx, what, maxKb);
    try {
      return JSON.treeToValue(n, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Refused(400, what + ": " + e.getOriginalMessage());
    }
  }

  private void enroll(Context ctx) throws Exception {
    Protocol.EnrollRequest req = json(ctx, "enrolment", 64, Protocol.EnrollRequest.class);
    if (req.csr() == null || req.name() == null || req.name().isBlank()) {
      throw new Refused(400, "enrolment needs token, name and csr");
    }
    String name = req.name().strip();
    if (name.length() > 200) {
      throw new Refused(400, "name: at most 200 characters");
    }
    X509Certificate[] issued = new X509Certificate[1];
    AgentRegistry.Agent a =
        registry.enroll(
            req.token(),
            name,
            req.version(),
            id -> {
              issued[0] = ca.sign(req.csr(), id);
              return issued(issued[0]);
            });
    reply(
        ctx,
        new Protocol.EnrollResponse(a.id(), AgentCa.pem(issued[0]), AgentCa.pem(ca.certificate())));
  }

  /**
   * A new certificate for the calling agent's new key. Its current certificate stays good until the
   * new one is used, so an answer lost on the way costs nothing but another renewal.
   */
  private void renew(Context ctx) throws Exception {
    AgentRegistry.Agent agent = agent(ctx);
    Protocol.RenewRequest req = json(ctx, "renewal", 16, Protocol.RenewRequest.class);
    if (req.csr() == null) {
      throw new Refused(400, "renewal needs csr");
    }
    X509Certificate[] issued = new X509Certificate[1];
    registry.renew(
        agent.id(),
        id -> {
          issued[0] = ca.sign(req.csr(), id);
          return issued(issued[0]);
        });
    LOG.info(
        "agent {} ({}) renewed its certificate, valid until {}",
        agent.name(),
        agent.id(),
        issued[0].getNotAfter().toInstant());
    reply(
        ctx,
        new Protocol.EnrollResponse(
            agent.id(), AgentCa.pem(issued[0]), AgentCa.pem(ca.certificate())));
  }

  private static AgentRegistry.Issued issued(X509Certificate c) {
    return new AgentRegistry.Issued(
        c.getSerialNumber().toString(16), c.getNotAfter().toInstant().toEpochMilli());
  }

  private void batch(Context ctx) throws Exception {
    AgentRegistry.Agent agent = agent(ctx);
    List<Protocol.Item> items;
    try {
      items = Protocol.decode(ctx.bodyInputStream());
    } catch (IOException bad) {
      throw new Refused(400, "batch: " + bad.getMessage());
    }
    synchronized (locks.computeIfAbsent(agent.id(), k -> new Object())) {
      long point = registry.find(agent.id()).nextSeq();
      long dup = 0;
      long ok = 0;
      long bad = 0;
      long next = point;
      Event e = new Event();
      for (Protocol.Item it : items) {
        if (it.seq() < point) {
          dup++;
          continue;
        }
        try {
          e.clear();
          EventCodec.decode(it.data(), 0, it.data().length, e);
        } catch (RuntimeException damaged) {
          // counted and skipped: a record that cannot be decoded would otherwise be resent forever
          bad++;
          LOG.warn(
              "agent {}: record {} cannot be decoded: {}",
              agent.id(),
              it.seq(),
              damaged.getMessage());
          next = it.next();
          continue;
        }
        intake.accept(agent, e);
        ok++;
        next = it.next();
      }
      intake.flush();
      registry.advance(agent.id(), next, ok, dup);
      accepted.addAndGet(ok);
      duplicates.addAndGet(dup);
      rejected.addAndGet(bad);
      reply(ctx, new Protocol.Ack(Math.max(point, next), ok, dup, bad));
    }
  }

  private void heartbeat(Context ctx) throws Exception {
    AgentRegistry.Agent agent = agent(ctx);
    JsonNode hb = json(ctx, "heartbeat", 64);
    registry.heartbeat(agent.id(), JSON.writeValueAsString(hb), hb.path("version").asText(null));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("server_time", System.currentTimeMillis());
    out.put("next_seq", registry.find(agent.id()).nextSeq());
    out.put("commands", actions.pending(agent.id()));
    reply(ctx, out);
  }

  /** The agent behind the request's verified client certificate; refused otherwise. */
  private AgentRegistry.Agent agent(Context ctx) throws Exception {
    Object attr = ctx.req().getAttribute(CERT_ATTRIBUTE);
    if (!(attr instanceof X509Certificate[] chain) || chain.length == 0) {
      throw new Refused(401, "a client certificate is needed; enrol the agent first");
    }
    X509Certificate cert = chain[0];
    String id = null;
    for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
      if (rdn.getType().equalsIgnoreCase("CN")) {
        id = rdn.getValue().toString();
      }
    }
    AgentRegistry.Agent a = id == null ? null : registry.find(id);
    String serial = cert.getSerialNumber().toString(16);
    if (a == null || !a.active() || !a.holds(serial)) {
      throw new Refused(403, "this agent's certificate is revoked or unknown; enrol it again");
    }
    if (serial.equals(a.pendingSerial()) || a.certExpiresAt() == null) {
      // first use of a renewed certificate: from now on the one before is refused
      registry.promote(a.id(), serial, cert.getNotAfter().toInstant().toEpochMilli());
      a = registry.find(a.id());
    }
    return a;
  }

  private static void reply(Context ctx, Object body) throws IOException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json");
    try {
      ctx.result(JSON.writeValueAsBytes(Map.of("error", message, "status", status)));
    } catch (IOException e) {
      ctx.result("{\"status\":" + status + "}");
    }
  }

  /** A refusal with its HTTP status. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
