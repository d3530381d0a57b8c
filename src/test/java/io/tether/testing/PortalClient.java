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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;

/**
 * The REST API of a packaged portal for ITs (java.net.http, no rest-assured): signs in, keeps the
 * session cookie and X-CSRF-Token, and sets up the devices, tokens, users and grants a test needs.
 */
public final class PortalClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A device just created: {@code token} is shown only in the create answer. */
  public record NewDevice(long id, String name, String token) {}

  /** A user a test created; the plain password is known only to the test. */
  public record NewUser(String id, String username, String password) {}

  private final HttpClient http;
  private final String base;
  private final String cookie;
  private final String csrf;

  private PortalClient(HttpClient http, String base, String cookie, String csrf) {
    this.http = http;
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
  }

  /** Signs in as the admin of a plain-HTTP portal. */
  public static PortalClient admin(PortalProcess portal) {
    return signIn(portal.baseUrl(), null, "admin", PortalProcess.ADMIN_PASSWORD);
  }

  /** Signs in at {@code base} (https when {@code tls} is not null); fails unless 200. */
  public static PortalClient signIn(String base, SSLContext tls, String username, String password) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls);
    }
    HttpClient http = builder.build();
    HttpResponse<String> r =
        send(
            http,
            HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(body(Map.of("username", username, "password", password))));
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "login of " + username + " answered " + r.statusCode() + ": " + r.body());
    }
    String cookie =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.contains("tether_session="))
            .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("login answered no session cookie: " + r.headers()));
    return new PortalClient(http, base, cookie, read(r).get("csrfToken").asText());
  }

  /** The session cookie ({@code name=value}), for a WebSocket this user opens. */
  public String cookie() {
    return cookie;
  }

  /** A name valid for users, groups and devices, unique for this run. */
  public static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  // --- things a test sets up ---

  /** A device in the default group. */
  public NewDevice createDevice() {
    return createDevice(null);
  }

  /** A device in {@code group} (null: the default group). */
  public NewDevice createDevice(String group) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", unique("dev"));
    body.put("description", "made by a tunnel IT");
    if (group != null) {
      body.put("group", group);
    }
    JsonNode d = expect(201, "POST", "/api/devices", body);
    return new NewDevice(d.get("id").asLong(), d.get("name").asText(), d.get("token").asText());
  }

  /** POST /api/devices/{id}/token: a new device token; the old one stops working. */
  public String rotateDeviceToken(long deviceId) {
    return expect(200, "POST", "/api/devices/" + deviceId + "/token", Map.of())
        .get("token")
        .asText();
  }

  /** An API token of the signed-in user. */
  public String createApiToken() {
    return expect(201, "POST", "/api/tokens", Map.of("name", unique("it"))).get("token").asText();
  }

  public NewUser createUser() {
    String name = unique("user");
    String password = "pw-" + unique("secret");
    JsonNode u =
        expect(
            201,
            "POST",
            "/api/users",
            Map.of("username", name, "password", password, "admin", false));
    return new NewUser(u.get("id").asText(), name, password);
  }

  /** A new group; returns its name. */
  public String createGroup() {
    String name = unique("group");
    expect(201, "POST", "/api/groups", Map.of("name", name));
    return name;
  }

  public void grant(String userId, String group, String role) {
    expect(201, "POST", "/api/users/" + userId + "/grants", Map.of("group", group, "role", role));
  }

  /** GET /api/devices/{id}. */
  public JsonNode device(long deviceId) {
    return expect(200, "GET", "/api/devices/" + deviceId, null);
  }

  public boolean online(long deviceId) {
    return device(deviceId).get("online").asBoolean();
  }

  /** The address the audit log recorded for {@code username}'s latest sign-in, once it is there. */
  public String signInAddress(String username) {
    String[] address = new String[1];
    Await.until(
        "the sign-in of " + username + " in the audit log",
        Duration.ofSeconds(10),
        () -> {
          JsonNode items =
              expect(200, "GET", "/api/audit?action=auth.login&actor=" + username, null)
                  .get("items");
          address[0] = items.isEmpty() ? null : items.get(0).get("address").asText();
          return address[0] != null;
        });
    return address[0];
  }

  /**
   * Imports devices from a CSV file ({@code POST /api/devices/import?dryRun=false}); answers the
   * portal's CSV of name, id and token per device.
   */
  public String importDevices(String csv) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/devices/import?dryRun=false"))
            .timeout(Duration.ofSeconds(120))
            .header("Cookie", cookie)
            .header("X-CSRF-Token", csrf)
            .header("Accept", "text/csv")
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(csv));
    HttpResponse<String> r = send(http, b);
    if (r.statusCode() != 201) {
      throw new AssertionError("the CSV import answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  // --- plumbing ---

  /** Sends a request as the signed-in user; fails unless it answers {@code status}. */
  public JsonNode expect(int status, String method, String path, Object body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(15))
            .header("Cookie", cookie)
            .header("X-CSRF-Token", csrf)
            .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, body(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = send(http, b);
    if (r.statusCode() != status) {
      throw new AssertionError(
          method
              + " "
              + path
              + " answered "
              + r.statusCode()
              + " instead of "
              + status
              + ": "
              + r.body());
    }
    return read(r);
  }

  private static HttpRequest.BodyPublisher body(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static JsonNode read(HttpResponse<String> r) {
    try {
      return r.body() == null || r.body().isEmpty()
          ? JSON.createObjectNode()
          : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }
}
