package dev.rampart.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser sessions after a password login: a random session id for an HttpOnly cookie, and a CSRF
 * token the page sends back in a header on every change. Sessions end after 30 idle minutes or 12
 * hours, on logout, or when there are too many (the oldest go first). Kept in memory: a restart
 * signs everyone out, which is the safe direction. Also limits login attempts per source address.
 */
public final class Sessions {
  public static final Duration IDLE = Duration.ofMinutes(30);
  public static final Duration ABSOLUTE = Duration.ofHours(12);
  public static final int MAX_SESSIONS = 10_000;

  /** Login attempts allowed per source address per minute (on top of the per-account lockout). */
  public static final int LOGINS_PER_MINUTE = 10;

  /** A live session: who, and the CSRF token their changes must carry. */
  public record Session(Principal principal, String csrf, long createdAt, long lastSeen) {}

  /** What a login hands to the browser: the cookie value and the CSRF token. */
  public record Started(String id, String csrf, Principal principal) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Clock clock;
  // Keyed by the id's SHA-256, so the map never holds a usable cookie value.
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final Map<String, Deque<Long>> attempts = new LinkedHashMap<>();

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  public synchronized Started start(Principal p) {
    long now = clock.millis();
    while (sessions.size() >= MAX_SESSIONS) {
      Iterator<String> oldest = sessions.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    String id = random();
    String csrf = random();
    sessions.put(key(id), new Session(p, csrf, now, now));
    return new Started(id, csrf, p);
  }

  /** The live session of a cookie value (its idle clock restarted), or null. */
  public synchronized Session get(String id) {
    if (id == null || id.length() > 100) {
      return null;
    }
    String k = key(id);
    Session s = sessions.get(k);
    long now = clock.millis();
    if (s == null) {
      return null;
    }
    if (now - s.lastSeen() > IDLE.toMillis() || now - s.createdAt() > ABSOLUTE.toMillis()) {
      sessions.remove(k);
      return null;
    }
    Session touched = new Session(s.principal(), s.csrf(), s.createdAt(), now);
    sessions.put(k, touched);
    return touched;
  }

  public synchronized void end(String id) {
    if (id != null) {
      sessions.remove(key(id));
    }
  }

  /** Ends every session of {@code user} (password change, disable, role change). */
  public synchronized void endAll(String user) {
    sessions.values().removeIf(s -> s.principal().user().equals(user));
  }

  /** Whether the CSRF token presented matches the session's, in constant time. */
  public static boolean csrfMatches(Session s, String presented) {
    return presented != null
        && MessageDigest.isEqual(
            s.csrf().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Counts a login attempt from {@code source}; false when it is over the rate limit. */
  public synchronized boolean allowLogin(String source) {
    long now = clock.millis();
    Deque<Long> q = attempts.computeIfAbsent(source, k -> new ArrayDeque<>());
    while (!q.isEmpty() && now - q.peekFirst() > 60_000) {
      q.pollFirst();
    }
    if (attempts.size() > 100_000) {
      attempts.values().removeIf(Deque::isEmpty);
    }
    if (q.size() >= LOGINS_PER_MINUTE) {
      return false;
    }
    q.addLast(now);
    return true;
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String key(String id) {
    return AccessStore.sha256(id);
  }
}
