package io.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The REST API of a packaged portal as the web UI uses it: session cookie plus X-CSRF-Token, from
 * its own address (X-Forwarded-For through the trusted 127.0.0.1, so login limits stay per test).
 */
public final class PortalApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String address;
  private final String cookie;
  private final String csrf;

  private PortalApi(String base, String address, String cookie, String csrf) {
    this.base = base;
    this.address = address;
    this.cookie = cookie;
    this.csrf = csrf;
  }

  /** POST /api/auth/login; fails unless it answers 200 with the session cookie. */
  public static PortalApi signIn(String base, String username, String password) {
    String address = randomAddress();
    HttpResponse<String> r =
        send(
            base,
            "POST",
            "/api/auth/login",
            Map.of("username", username, "password", password),
            Map.of("X-Forwarded-For", address));
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "login of " + username + " answered " + r.statusCode() + ": " + r.body());
    }
    String cookie =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("tether_session="))
            .map(c -> c.substring(0, c.indexOf(';')))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
    return new PortalApi(base, address, cookie, read(r).get("csrfToken").asText());
  }

  /** The session cookie ("name=value") for WebSocket upgrades. */
  public String cookie() {
    return cookie;
  }

  /** A random address from 198.18.0.0/15 (benchmarking range). */
  public static String randomAddress() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "198." + (18 + r.nextInt(2)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  /** A name valid for users, groups, devices and tags, unique for this run. */
  public static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  /**
   * As an admin: a new user with an operator grant on {@code group}; answers {id, username,
   * password}.
   */
  public String[] newOperator(String group) {
    String username = unique("op");
    String password = "pw-" + unique("secret");
    JsonNode user =
        post("/api/users", Map.of("username", username, "password", password, "admin", false));
    String id = user.get("id").asText();
    post("/api/users/" + id + "/grants", Map.of("group", group, "role", "operator"));
    return new String[] {id, username, password};
  }

  public JsonNode get(String path) {
    return expect(200, request("GET", path, null), "GET " + path);
  }

  public JsonNode post(String path, Object body) {
    return expect(201, request("POST", path, body), "POST " + path);
  }

  public HttpResponse<String> request(String method, String path, Object body) {
    return send(
        base,
        method,
        path,
        body,
        Map.of("X-Forwarded-For", address, "Cookie", cookie, "X-CSRF-Token", csrf));
  }

  public static JsonNode expect(int status, HttpResponse<String> r, String what) {
    if (r.statusCode() != status) {
      throw new AssertionError(
          what + " answered " + r.statusCode() + " instead of " + status + ": " + r.body());
    }
    return read(r);
  }

  public static HttpResponse<String> send(
      String base, String method, String path, Object body, Map<String, String> headers) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
      if (!headers.containsKey("Accept")) {
        b.header("Accept", "application/json");
      }
      headers.forEach(b::header);
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      }
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static JsonNode read(HttpResponse<String> r) {
    try {
      return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }
}
