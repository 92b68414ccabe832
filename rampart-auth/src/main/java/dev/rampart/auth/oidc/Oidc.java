package dev.rampart.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenID Connect login, authorization code flow with PKCE: {@link #begin} sends the browser to the
 * provider; {@link #finish} exchanges the code, verifies the ID token (signature by the provider's
 * published keys, issuer, audience, expiry, nonce, with nimbus-jose-jwt) and maps the user's groups
 * to a Rampart role. The provider is read from its discovery document.
 */
public final class Oidc {
  /**
   * The provider and how its users become Rampart users.
   *
   * @param redirectUri this server's callback, as registered with the provider ({@code
   *     https://rampart.example.org/api/oidc/callback})
   * @param groupsClaim the ID token claim with the user's groups
   * @param roles group to role, first match wins (a user in several groups gets the first listed)
   * @param defaultRole the role of users in none of the groups; null: they are refused
   */
  public record Options(
      String issuer,
      String clientId,
      String clientSecret,
      String redirectUri,
      String groupsClaim,
      Map<String, String> roles,
      String defaultRole) {
    public Options {
      roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    @Override
    public String toString() {
      return "Oidc.Options[" + issuer + ", client " + clientId + "]";
    }
  }

  /** Where to send the browser, and the state to expect back. */
  public record Start(String authorizationUrl, String state) {}

  /** A verified login: the user name Rampart uses, its role, and the groups it came with. */
  public record Identity(String user, String role, List<String> groups, String subject) {}

  /** A login that cannot go on, with a reason for the audit trail (the browser sees less). */
  public static final class OidcException extends Exception {
    private static final long serialVersionUID = 1L;

    public OidcException(String message) {
      super(message);
    }

    public OidcException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Pending(String nonce, String verifier, long expires) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration PENDING = Duration.ofMinutes(10);

  private final Options options;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private volatile Discovery discovery;

  private record Discovery(
      String issuer, String authorization, String token, JWKSource<SecurityContext> keys) {}

  public Oidc(Options options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  private Discovery discovery() throws OidcException {
    Discovery d = discovery;
    if (d != null) {
      return d;
    }
    String url = options.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new OidcException("discovery " + url + " answered HTTP " + r.statusCode());
      }
      JsonNode j = JSON.readTree(r.body());
      String issuer = j.path("issuer").asText();
      if (!issuer.equals(options.issuer())) {
        throw new OidcException(
            "discovery says the issuer is " + issuer + ", the config says " + options.issuer());
      }
      JWKSource<SecurityContext> keys =
          JWKSourceBuilder.create(URI.create(j.path("jwks_uri").asText()).toURL())
              .retrying(true)
              .build();
      d =
          new Discovery(
              issuer,
              j.path("authorization_endpoint").asText(),
              j.path("token_endpoint").asText(),
              keys);
      discovery = d;
      return d;
    } catch (IOException | IllegalArgumentException e) {
      throw new OidcException("cannot read the provider's discovery document " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OidcException("interrupted", e);
    }
  }

  /** Starts a login: the provider's authorization URL with state, nonce and a PKCE challenge. */
  public synchronized Start begin() throws OidcException {
    Discovery d = discovery();
    long now = clock.millis();
    pending.values().removeIf(p -> p.expires() < now);
    if (pending.size() > 10_000) {
      throw new OidcException("too many logins in progress");
    }
    String state = random();
    String nonce = random();
    String verifier = random();
    pending.put(state, new Pending(nonce, verifier, now + PENDING.toMillis()));
    String url =
        d.authorization()
            + (d.authorization().contains("?") ? "&" : "?")
            + form(
                Map.of(
                    "response_type",
                    "code",
                    "client_id",
                    options.clientId(),
                    "redirect_uri",
                    options.redirectUri(),
                    "scope",
                    "openid profile email",
                    "state",
                    state,
                    "nonce",
                    nonce,
                    "code_challenge",
                    challenge(verifier),
                    "code_challenge_method",
                    "S256"));
    return new Start(url, state);
  }

  /** Finishes a login from the provider's redirect. */
  public Identity finish(String code, String state) throws OidcException {
    Pending p;
    synchronized (this) {
      p = state == null ? null : pending.remove(state);
    }
    if (p == null || p.expires() < clock.millis()) {
      throw new OidcException("unknown or expired login state (start again)");
    }
    if (code == null || code.isBlank() || code.length() > 4096) {
      throw new OidcException("the provider sent no authorization code");
    }
    Discovery d = discovery();
    String idToken;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(d.token()))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header(
                      "Authorization",
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(
                                  (enc(options.clientId()) + ":" + enc(options.clientSecret()))
                                      .getBytes(StandardCharsets.UTF_8)))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          form(
                              Map.of(
                                  "grant_type",
                                  "authorization_code",
                                  "code",
                                  code,
                                  "redirect_uri",
                                  options.redirectUri(),
                                  "code_verifier",
                                  p.verifier()))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new OidcException("the token endpoint answered HTTP " + r.statusCode());
      }
      idToken = JSON.readTree(r.body()).path("id_token").asText(null);
    } catch (IOException e) {
      throw new OidcException("cannot reach the token endpoint " + d.token(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OidcException("interrupted", e);
    }
    if (idToken == null) {
      throw new OidcException("the token endpoint sent no id_token");
    }
    JWTClaimsSet claims = verify(d, idToken, p.nonce());
    return identity(claims);
  }

  private JWTClaimsSet verify(Discovery d, String idToken, String nonce) throws OidcException {
    DefaultJWTProcessor<SecurityContext> proc = new DefaultJWTProcessor<>();
    proc.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), d.keys()));
    proc.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            options.clientId(),
            new JWTClaimsSet.Builder().issuer(d.issuer()).claim("nonce", nonce).build(),
            new HashSet<>(List.of("sub", "exp", "iat"))));
    try {
      return proc.process(idToken, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new OidcException("the ID token was refused: " + e.getMessage(), e);
    }
  }

  private Identity identity(JWTClaimsSet c) throws OidcException {
    String name;
    try {
      name = c.getStringClaim("preferred_username");
      if (name == null) {
        name = c.getStringClaim("email");
      }
    } catch (ParseException e) {
      name = null;
    }
    if (name == null) {
      name = c.getSubject();
    }
    name = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._@-]", "-");
    if (name.length() > 64) {
      name = name.substring(0, 64);
    }
    List<String> groups = new ArrayList<>();
    Object g = c.getClaim(options.groupsClaim());
    if (g instanceof List<?> list) {
      list.forEach(x -> groups.add(String.valueOf(x)));
    } else if (g instanceof String s) {
      groups.add(s);
    }
    String role = null;
    for (Map.Entry<String, String> e : options.roles().entrySet()) {
      if (groups.contains(e.getKey())) {
        role = e.getValue();
        break;
      }
    }
    if (role == null) {
      role = options.defaultRole();
    }
    if (role == null) {
      throw new OidcException(
          name + " is in none of the groups that map to a role " + options.roles().keySet());
    }
    return new Identity(name, role, groups, c.getSubject());
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String form(Map<String, String> m) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(m).entrySet()) {
      sb.append(sb.isEmpty() ? "" : "&")
          .append(enc(e.getKey()))
          .append('=')
          .append(enc(e.getValue()));
    }
    return sb.toString();
  }
}
