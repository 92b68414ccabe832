package dev.rampart.server.console;

import dev.rampart.auth.Sessions;
import io.javalin.http.Context;

/**
 * The browser session cookie, written in one place for the API, single sign-on and the console:
 * HttpOnly, Path=/, the session's lifetime, Secure whenever the request came over TLS.
 */
public final class SessionCookie {
  /** The cookie's name. */
  public static final String NAME = "rampart_session";

  private SessionCookie() {}

  /**
   * Sets the cookie for session {@code id}.
   *
   * @param sameSite {@code Strict}, or {@code Lax} where the browser arrives from another site (the
   *     identity provider's redirect)
   */
  public static void set(Context ctx, String id, String sameSite) {
    ctx.header(
        "Set-Cookie",
        NAME
            + "="
            + id
            + "; Path=/; HttpOnly; SameSite="
            + sameSite
            + "; Max-Age="
            + Sessions.ABSOLUTE.toSeconds()
            + ("https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : ""));
  }

  /** Removes the cookie (sign-out). */
  public static void clear(Context ctx) {
    ctx.header("Set-Cookie", NAME + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  }
}
