package io.tether.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * An OpenID Connect provider on loopback for tests, behaving like a real one: several issuers on
 * one server ({@code http://127.0.0.1:PORT/ISSUER}), each with discovery, a JWKS (its own RS256
 * key), an authorization endpoint that signs in the next queued {@link Login} at once (no login
 * form, like mock-oauth2-server's non-interactive mode) and a token endpoint that checks the client
 * secret (Basic), the redirect URI and the PKCE S256 verifier and uses each code once. A {@link
 * Login} can bend the ID token (another issuer, audience, an old expiry or nonce) to test the
 * portal's refusals.
 */
public final class TestOidcProvider implements AutoCloseable {
  /** Who signs in next, and how the ID token is bent. Null fields: as a real provider would. */
  public record Login(
      String subject,
      Map<String, Object> claims,
      String issuerOverride,
      String audienceOverride,
      Instant expiresAt,
      String nonceOverride) {
    public static Login of(String subject, Map<String, Object> claims) {
      return new Login(subject, claims, null, null, null, null);
    }

    public Login withIssuer(String issuer) {
      return new Login(subject, claims, issuer, audienceOverride, expiresAt, nonceOverride);
    }

    public Login withAudience(String audience) {
      return new Login(subject, claims, issuerOverride, audience, expiresAt, nonceOverride);
    }

    public Login expiringAt(Instant at) {
      return new Login(subject, claims, issuerOverride, audienceOverride, at, nonceOverride);
    }

    public Login withNonce(String nonce) {
      return new Login(subject, claims, issuerOverride, audienceOverride, expiresAt, nonce);
    }
  }

  private record Issued(
      Login login, String clientId, String redirectUri, String challenge, String nonce) {}

  private final HttpServer server;
  private final String clientId;
  private final String clientSecret;
  private final Map<String, RsaJsonWebKey> keys = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedDeque<Login>> queues = new ConcurrentHashMap<>();
  private final Map<String, Issued> codes = new ConcurrentHashMap<>();
  private final List<String> nonces = java.util.Collections.synchronizedList(new ArrayList<>());

  private TestOidcProvider(String clientId, String clientSecret, List<String> issuers)
      throws Exception {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    for (String issuer : issuers) {
      RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
      key.setKeyId(issuer + "-1");
      key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
      key.setUse("sig");
      keys.put(issuer, key);
      queues.put(issuer, new ConcurrentLinkedDeque<>());
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A provider with {@code issuers} (path names) for one client. */
  public static TestOidcProvider start(String clientId, String clientSecret, String... issuers) {
    try {
      return new TestOidcProvider(clientId, clientSecret, List.of(issuers));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test OIDC provider", e);
    }
  }

  public String issuer(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  /** Every sign-in at {@code issuer} from now on is this one (until the next call). */
  public void next(String issuer, Login login) {
    queues.get(issuer).clear();
    queues.get(issuer).addLast(login);
  }

  /** The nonce of the latest authorization request (to replay it in a later one). */
  public String lastNonce() {
    return nonces.get(nonces.size() - 1);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String[] parts = ex.getRequestURI().getPath().split("/", 3);
      String issuer = parts.length > 1 ? parts[1] : "";
      String rest = parts.length > 2 ? parts[2] : "";
      if (!keys.containsKey(issuer)) {
        send(ex, 404, "{\"error\":\"no such issuer\"}");
        return;
      }
      switch (rest) {
        case ".well-known/openid-configuration" -> send(ex, 200, discovery(issuer));
        case "jwks" -> send(ex, 200, new JsonWebKeySet(keys.get(issuer)).toJson());
        case "authorize" -> authorize(ex, issuer);
        case "token" -> token(ex, issuer);
        default -> send(ex, 404, "{\"error\":\"not found\"}");
      }
    } catch (Exception e) {
      send(ex, 500, "{\"error\":\"server_error\"}");
    }
  }

  private String discovery(String name) {
    String base = issuer(name);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", base);
    doc.put("authorization_endpoint", base + "/authorize");
    doc.put("token_endpoint", base + "/token");
    doc.put("jwks_uri", base + "/jwks");
    doc.put("response_types_supported", List.of("code"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    doc.put("code_challenge_methods_supported", List.of("S256"));
    doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
    return JsonUtil.toJson(doc);
  }

  private void authorize(HttpExchange ex, String issuer) throws IOException {
    Map<String, String> q = form(ex.getRequestURI().getRawQuery());
    String redirect = q.get("redirect_uri");
    if (!clientId.equals(q.get("client_id"))
        || redirect == null
        || !"code".equals(q.get("response_type"))
        || !"S256".equals(q.get("code_challenge_method"))
        || q.get("code_challenge") == null
        || !q.getOrDefault("scope", "").contains("openid")) {
      send(ex, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    ConcurrentLinkedDeque<Login> queue = queues.get(issuer);
    Login login = queue.peekFirst();
    if (login == null) {
      send(ex, 400, "{\"error\":\"no login queued\"}");
      return;
    }
    nonces.add(q.get("nonce"));
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    codes.put(
        code,
        new Issued(login, q.get("client_id"), redirect, q.get("code_challenge"), q.get("nonce")));
    String location =
        redirect
            + (redirect.contains("?") ? "&" : "?")
            + "code="
            + code
            + "&state="
            + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private void token(HttpExchange ex, String issuer) throws Exception {
    Map<String, String> f =
        form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(auth)) {
      send(ex, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    Issued issued = codes.remove(f.getOrDefault("code", ""));
    if (issued == null
        || !"authorization_code".equals(f.get("grant_type"))
        || !issued.redirectUri().equals(f.get("redirect_uri"))) {
      send(ex, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    String verifier = f.getOrDefault("code_verifier", "");
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    if (!challenge.equals(issued.challenge())) {
      send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE\"}");
      return;
    }
    Login login = issued.login();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(login.issuerOverride() != null ? login.issuerOverride() : issuer(issuer));
    claims.setAudience(login.audienceOverride() != null ? login.audienceOverride() : clientId);
    claims.setSubject(login.subject());
    claims.setIssuedAtToNow();
    if (login.expiresAt() != null) {
      claims.setExpirationTime(NumericDate.fromMilliseconds(login.expiresAt().toEpochMilli()));
      claims.setIssuedAt(
          NumericDate.fromMilliseconds(login.expiresAt().minusSeconds(300).toEpochMilli()));
    } else {
      claims.setExpirationTimeMinutesInTheFuture(5);
    }
    claims.setClaim(
        "nonce", login.nonceOverride() != null ? login.nonceOverride() : issued.nonce());
    login.claims().forEach(claims::setClaim);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    RsaJsonWebKey key = keys.get(issuer);
    jws.setKey(key.getPrivateKey());
    jws.setKeyIdHeaderValue(key.getKeyId());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    Map<String, Object> answer = new HashMap<>();
    answer.put("access_token", "at-" + Base64.getUrlEncoder().encodeToString(randomBytes()));
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 300);
    answer.put("id_token", jws.getCompactSerialization());
    send(ex, 200, JsonUtil.toJson(answer));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[24];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** The URI's query parameters (for tests that follow redirects by hand). */
  public static Map<String, String> query(URI uri) {
    return form(uri.getRawQuery());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
