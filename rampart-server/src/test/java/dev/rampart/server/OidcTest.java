package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.rampart.ingest.server.IngestConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on against a real OpenID provider stand-in on 127.0.0.1 (discovery, keys, token
 * endpoint checking PKCE and the client secret): groups map to roles, and every forged or stale ID
 * token is refused and audited.
 */
class OidcTest {
  @TempDir Path dir;
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  /** What the provider puts in its next ID token; tests change it to forge one. */
  final Map<String, Object> next = new HashMap<>();

  RSAKey key;
  RSAKey otherKey;
  HttpServer provider;
  String issuer;
  volatile String lastChallenge;
  volatile String lastNonce;

  void startProvider() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + provider.getAddress().getPort();
    provider.createContext(
        "/.well-known/openid-configuration",
        x -> {
          byte[] b =
              json.writeValueAsBytes(
                  Map.of(
                      "issuer", issuer,
                      "authorization_endpoint", issuer + "/authorize",
                      "token_endpoint", issuer + "/token",
                      "jwks_uri", issuer + "/jwks"));
          x.sendResponseHeaders(200, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    provider.createContext(
        "/jwks",
        x -> {
          byte[] b = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    provider.createContext(
        "/token",
        x -> {
          Map<String, String> form =
              form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          String auth = x.getRequestHeaders().getFirst("Authorization");
          boolean client =
              ("Basic "
                      + Base64.getEncoder()
                          .encodeToString("rampart:s3cret-client".getBytes(StandardCharsets.UTF_8)))
                  .equals(auth);
          boolean pkce = challenge(form.get("code_verifier")).equals(lastChallenge);
          if (!client || !pkce || !"good-code".equals(form.get("code"))) {
            x.sendResponseHeaders(400, -1);
            x.close();
            return;
          }
          try {
            JWTClaimsSet.Builder c =
                new JWTClaimsSet.Builder()
                    .issuer((String) next.getOrDefault("iss", issuer))
                    .subject("u-123")
                    .audience((String) next.getOrDefault("aud", "rampart"))
                    .issueTime(new Date())
                    .expirationTime(
                        new Date(
                            System.currentTimeMillis() + (long) next.getOrDefault("ttl", 300_000L)))
                    .claim("nonce", next.getOrDefault("nonce", lastNonce))
                    .claim("preferred_username", "Alice.Example")
                    .claim("groups", next.getOrDefault("groups", List.of("staff", "soc-analysts")));
            SignedJWT jwt =
                new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), c.build());
            jwt.sign(new RSASSASigner((RSAKey) next.getOrDefault("key", key)));
            byte[] b =
                json.writeValueAsBytes(Map.of("id_token", jwt.serialize(), "token_type", "Bearer"));
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
          } catch (Exception e) {
            x.sendResponseHeaders(500, -1);
          }
          x.close();
        });
    provider.start();
  }

  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(String.valueOf(verifier).getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> form(String s) {
    Map<String, String> out = new HashMap<>();
    for (String kv : s.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Follows the login as a browser would, with the provider answering "good-code". */
  HttpResponse<String> signIn(Platform p) throws Exception {
    String base = "http://127.0.0.1:" + p.apiPort();
    HttpResponse<String> go =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/oidc/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(go.statusCode()).isEqualTo(302);
    URI to = URI.create(go.headers().firstValue("Location").orElseThrow());
    assertThat(to.toString()).startsWith(issuer + "/authorize?");
    Map<String, String> q = form(to.getRawQuery());
    assertThat(q)
        .containsEntry("client_id", "rampart")
        .containsEntry("code_challenge_method", "S256");
    lastChallenge = q.get("code_challenge");
    lastNonce = q.get("nonce");
    return http.send(
        HttpRequest.newBuilder(
                URI.create(base + "/api/oidc/callback?code=good-code&state=" + q.get("state")))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void groupsMapToRolesAndForgedTokensAreRefused() throws Exception {
    startProvider();
    try {
      Path config = dir.resolve("rampart.yaml");
      Files.writeString(dir.resolve("client-secret"), "s3cret-client\n");
      Files.writeString(
          config,
          """
          data: %s
          inputs:
            - {type: syslog-udp, port: 0}
          api: {port: 0}
          oidc:
            issuer: %s
            client_id: rampart
            client_secret_file: client-secret
            redirect_uri: http://127.0.0.1/api/oidc/callback
            roles: {soc-admins: admin, soc-analysts: analyst}
          """
              .formatted(dir.resolve("data"), issuer));
      try (Platform p =
          Platform.start(
              new Platform.Options(
                  IngestConfig.load(config), ServerConfig.load(config), List.of(), l -> {}))) {
        HttpResponse<String> in = signIn(p);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(302);
        assertThat(in.headers().firstValue("Location")).contains("/");
        String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        JsonNode me =
            json.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + p.apiPort() + "/api/me"))
                            .header("Cookie", cookie)
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        assertThat(me.get("user").asText()).isEqualTo("alice.example");
        assertThat(me.get("role").asText()).isEqualTo("analyst");
        assertThat(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + p.apiPort() + "/api/session"))
                            .header("Cookie", cookie)
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .contains("csrf_token");

        // moved to the admins' group: the next login follows
        next.put("groups", List.of("soc-admins"));
        signIn(p);
        assertThat(p.access().users())
            .filteredOn(u -> u.name().equals("alice.example"))
            .singleElement()
            .satisfies(u -> assertThat(u.role()).isEqualTo("admin"));

        // each forgery or mistake is refused
        for (Map<String, Object> bad :
            List.<Map<String, Object>>of(
                Map.of("key", otherKey), // signed by someone else
                Map.of("iss", "http://evil.example"),
                Map.of("aud", "someone-else"),
                Map.of("nonce", "replayed"),
                Map.of("ttl", -120_000L), // expired
                Map.of("groups", List.of("staff")))) { // no group maps to a role
          next.clear();
          next.putAll(bad);
          HttpResponse<String> r = signIn(p);
          assertThat(r.statusCode()).as(bad.toString()).isEqualTo(401);
          assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        }
        // a state that was never issued
        assertThat(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + p.apiPort()
                                        + "/api/oidc/callback?code=good-code&state=forged"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .isEqualTo(401);
        assertThat(p.cases().db().audit(50))
            .filteredOn(e -> e.action().equals("login.failure"))
            .hasSizeGreaterThanOrEqualTo(7);
      }
    } finally {
      provider.stop(0);
    }
  }
}
