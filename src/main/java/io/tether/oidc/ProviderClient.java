package io.tether.oidc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * The few requests the code flow makes to a provider, with the JDK's HTTP client: discovery, its
 * JWKS, and the code exchange at the token endpoint. Bounded in time and size; failures are {@link
 * SsoRefusal}s ({@link SsoRefusal#PROVIDER}) naming the step, never a secret.
 */
final class ProviderClient {
  /** A provider that has not answered in this long is down, as far as a person waiting knows. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Discovery documents, key sets and token answers are a few KiB; more is not a provider. */
  static final int MAX_BYTES = 1 << 20;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** A provider's discovery document (OpenID Connect Discovery 1.0, section 4). */
  record Metadata(
      String issuer,
      URI authorizationEndpoint,
      URI tokenEndpoint,
      URI jwksUri,
      boolean clientSecretPost) {}

  Metadata discover(URI issuer) {
    String base = issuer.toString();
    URI uri =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/.well-known/openid-configuration");
    Map<String, Object> doc = json(get(uri, "discovery"), "discovery");
    String found = string(doc, "issuer");
    if (!strip(found).equals(strip(base))) {
      throw new SsoRefusal(
          SsoRefusal.PROVIDER,
          "discovery at " + uri + " names issuer '" + found + "', not the configured " + base);
    }
    Object methods = doc.get("token_endpoint_auth_methods_supported");
    boolean postOnly =
        methods instanceof List<?> l
            && l.contains("client_secret_post")
            && !l.contains("client_secret_basic");
    return new Metadata(
        found,
        URI.create(string(doc, "authorization_endpoint")),
        URI.create(string(doc, "token_endpoint")),
        URI.create(string(doc, "jwks_uri")),
        postOnly);
  }

  String jwks(URI uri) {
    return get(uri, "JWKS");
  }

  /** Exchanges the code for the provider's answer; only its {@code id_token} is kept. */
  String idToken(
      Metadata metadata,
      String clientId,
      java.util.Optional<String> secret,
      String code,
      String redirectUri,
      String verifier) {
    Map<String, String> form = new java.util.LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("code_verifier", verifier);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(metadata.tokenEndpoint())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (secret.isPresent() && !metadata.clientSecretPost()) {
      // RFC 6749 2.3.1: both parts form-encoded before the Basic encoding
      String pair = encode(clientId) + ":" + encode(secret.get());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      form.put("client_id", clientId);
      secret.ifPresent(s -> form.put("client_secret", s));
    }
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpResponse<InputStream> response =
        send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), "token exchange");
    String text = read(response, "token exchange");
    if (response.statusCode() != 200) {
      Map<String, Object> error = tryJson(text);
      throw new SsoRefusal(
          SsoRefusal.PROVIDER,
          "token exchange answered "
              + response.statusCode()
              + (error.get("error") instanceof String s ? " " + s : ""));
    }
    Object idToken = json(text, "token exchange").get("id_token");
    if (!(idToken instanceof String s) || s.isBlank()) {
      throw new SsoRefusal(SsoRefusal.PROVIDER, "token exchange answered no id_token");
    }
    return s;
  }

  private String get(URI uri, String step) {
    HttpResponse<InputStream> response =
        send(
            HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build(),
            step);
    String text = read(response, step);
    if (response.statusCode() != 200) {
      throw new SsoRefusal(
          SsoRefusal.PROVIDER, step + " at " + uri + " answered " + response.statusCode());
    }
    return text;
  }

  private HttpResponse<InputStream> send(HttpRequest request, String step) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new SsoRefusal(
          SsoRefusal.PROVIDER, step + ": " + request.uri().getHost() + " not reachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SsoRefusal(SsoRefusal.PROVIDER, step + " interrupted");
    }
  }

  private static String read(HttpResponse<InputStream> response, String step) {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new SsoRefusal(SsoRefusal.PROVIDER, step + " answer is larger than " + MAX_BYTES);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SsoRefusal(SsoRefusal.PROVIDER, step + " answer could not be read");
    }
  }

  private static Map<String, Object> json(String text, String step) {
    try {
      return JsonUtil.parseJson(text);
    } catch (JoseException | RuntimeException e) {
      throw new SsoRefusal(SsoRefusal.PROVIDER, step + " answer is not JSON");
    }
  }

  private static Map<String, Object> tryJson(String text) {
    try {
      return JsonUtil.parseJson(text);
    } catch (JoseException | RuntimeException e) {
      return Map.of();
    }
  }

  private static String string(Map<String, Object> doc, String key) {
    if (doc.get(key) instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new SsoRefusal(SsoRefusal.PROVIDER, "discovery document lacks " + key);
  }

  private static String strip(String issuer) {
    return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
