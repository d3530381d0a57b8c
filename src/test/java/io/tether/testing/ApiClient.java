package io.tether.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A client of the REST API as a browser or an integration would be: signs in, keeps the session
 * cookie and CSRF token, and (as admin) creates the users, groups, grants, devices and tokens a
 * test needs. Every client speaks from its own address (X-Forwarded-For through the trusted
 * 127.0.0.1), so the per-address login limit of one test never throttles another.
 */
public final class ApiClient {
  public static final String ADMIN = "admin";

  /** {@code %test.tether.admin-password} in application.properties. */
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  public static final String COOKIE = "tether_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  public static final String FORWARDED_FOR = "X-Forwarded-For";
  public static final String PROBLEM_JSON = "application/problem+json";

  /** rest-assured connects from here; application.properties trusts it as a proxy in tests. */
  private static final String BASE_URI = "http://127.0.0.1";

  /** A user a test created: the plain password is known only to the test. */
  public record NewUser(String id, String username, String password) {}

  /** A device just created: {@code token} is shown only in the create answer. */
  public record NewDevice(String id, String name, String group, String token) {}

  /** An API token just created: {@code token} is shown only in the create answer. */
  public record NewToken(String id, String name, String token) {}

  private final String username;
  private final String password;
  private final String address;
  private final String sessionCookie;
  private final String csrfToken;
  private final JsonPath loginAnswer;
  private String apiToken;

  private ApiClient(
      String username, String password, String address, Response login, String sessionCookie) {
    this.username = username;
    this.password = password;
    this.address = address;
    this.sessionCookie = sessionCookie;
    this.loginAnswer = login.jsonPath();
    this.csrfToken = loginAnswer.getString("csrfToken");
  }

  // --- names and addresses ---

  /** A name valid as username, device, group and tag name, unique for this run. */
  public static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
  }

  /** A random address from 198.18.0.0/15 (benchmarking), never a test's chosen 203.0.113.x. */
  public static String randomAddress() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "198." + (18 + r.nextInt(2)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  // --- anonymous requests ---

  /** A request with no credentials, from 127.0.0.1. */
  public static RequestSpecification anonymous() {
    return given().baseUri(BASE_URI).contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** A request with no credentials, from {@code address}. */
  public static RequestSpecification anonymousFrom(String address) {
    return anonymous().header(FORWARDED_FOR, address);
  }

  /** POST /api/auth/login from {@code address}; the raw answer, whatever it is. */
  public static Response login(String username, String password, String address) {
    return anonymousFrom(address)
        .body(Map.of("username", username, "password", password))
        .post("/api/auth/login");
  }

  /** Signs in from a fresh random address; fails the test unless the login answers 200. */
  public static ApiClient signIn(String username, String password) {
    return signIn(username, password, randomAddress());
  }

  public static ApiClient signIn(String username, String password, String address) {
    return signedIn(username, password, address, login(username, password, address));
  }

  /**
   * The client of a sign-in answered by {@code r} (a password login, or its second step); fails the
   * test unless it answered 200 with a session cookie.
   */
  public static ApiClient signedIn(String username, String password, String address, Response r) {
    assertEquals(
        200,
        r.statusCode(),
        () -> "login of " + username + " from " + address + " failed: " + r.asString());
    String cookie = r.getCookie(COOKIE);
    assertNotNull(cookie, () -> "login answered no " + COOKIE + " cookie: " + r.getHeaders());
    return new ApiClient(username, password, address, r, cookie);
  }

  public static ApiClient signIn(NewUser user) {
    return signIn(user.username(), user.password());
  }

  public static ApiClient admin() {
    return signIn(ADMIN, ADMIN_PASSWORD);
  }

  // --- authenticated requests ---

  /** Cookie-authenticated, with the CSRF header, as the web UI sends it. */
  public RequestSpecification cookie() {
    return cookieWithoutCsrf().header(CSRF_HEADER, csrfToken);
  }

  /** Cookie-authenticated without the CSRF header (what a cross-site form post would send). */
  public RequestSpecification cookieWithoutCsrf() {
    return anonymousFrom(address).cookie(COOKIE, sessionCookie);
  }

  /** Bearer-authenticated with this user's own API token (made on first use). */
  public RequestSpecification bearer() {
    if (apiToken == null) {
      apiToken = createToken(unique("client"), null).token();
    }
    return bearer(apiToken, address);
  }

  /** Bearer-authenticated with {@code token}, from {@code address}. */
  public static RequestSpecification bearer(String token, String address) {
    return anonymousFrom(address).header("Authorization", "Bearer " + token);
  }

  /** Sends only the given session cookie, with its CSRF token: for revoked-session checks. */
  public static RequestSpecification withCookie(String cookie, String csrf, String address) {
    return anonymousFrom(address).cookie(COOKIE, cookie).header(CSRF_HEADER, csrf);
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  public String address() {
    return address;
  }

  public String sessionCookie() {
    return sessionCookie;
  }

  public String csrfToken() {
    return csrfToken;
  }

  public JsonPath loginAnswer() {
    return loginAnswer;
  }

  /** GET /api/me, expecting 200. */
  public JsonPath me() {
    return expect(200, cookie().get("/api/me"), "GET /api/me").jsonPath();
  }

  /** The caller's own user id, from GET /api/me. */
  public String userId() {
    return me().getString("id");
  }

  // --- things a test sets up ---

  public NewToken createToken(String name, Instant expiresAt) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt.toString());
    }
    JsonPath j =
        expect(201, cookie().body(body).post("/api/tokens"), "POST /api/tokens").jsonPath();
    return new NewToken(j.getString("id"), j.getString("name"), j.getString("token"));
  }

  /** As admin: a new non-admin user with a random name and password. */
  public NewUser createUser() {
    return createUser(false);
  }

  public NewUser createUser(boolean admin) {
    String name = unique("user");
    String pw = "pw-" + unique("secret");
    JsonPath j =
        expect(
                201,
                cookie()
                    .body(Map.of("username", name, "password", pw, "admin", admin))
                    .post("/api/users"),
                "POST /api/users")
            .jsonPath();
    return new NewUser(j.getString("id"), name, pw);
  }

  /** As admin: a new group with a unique name; returns the name. */
  public String createGroup() {
    String name = unique("group");
    expect(201, cookie().body(Map.of("name", name)).post("/api/groups"), "POST /api/groups");
    return name;
  }

  /** The id of the group named {@code name}, from GET /api/groups. */
  public String groupId(String name) {
    return expect(200, cookie().get("/api/groups"), "GET /api/groups")
        .jsonPath()
        .getString("items.find { it.name == '" + name + "' }.id");
  }

  /** As admin: PATCH /api/groups/{id} of the group named {@code name} with {@code settings}. */
  public void updateGroup(String name, Map<String, ?> settings) {
    expect(
        200,
        cookie().body(settings).patch("/api/groups/" + groupId(name)),
        "PATCH group " + name + " " + settings);
  }

  /** As admin: grants {@code role} on {@code group}; returns the grant id. */
  public String grant(String userId, String group, String role) {
    return expect(
            201,
            cookie()
                .body(Map.of("group", group, "role", role))
                .post("/api/users/" + userId + "/grants"),
            "POST grant")
        .jsonPath()
        .getString("id");
  }

  /** As admin: a device in {@code group} (null: the default group) with the given tags. */
  public NewDevice createDevice(String group, List<String> tags) {
    String name = unique("dev");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", "made by a test");
    if (group != null) {
      body.put("group", group);
    }
    if (tags != null) {
      body.put("tags", tags);
    }
    JsonPath j =
        expect(201, cookie().body(body).post("/api/devices"), "POST /api/devices").jsonPath();
    return new NewDevice(j.getString("id"), name, j.getString("group"), j.getString("token"));
  }

  public NewDevice createDevice(String group) {
    return createDevice(group, null);
  }

  /** GET /api/audit with the given filters (limit 200), expecting 200; the items. */
  public List<Map<String, Object>> audit(Map<String, ?> filters) {
    RequestSpecification spec = cookie().queryParam("limit", 200);
    filters.forEach(spec::queryParam);
    return new ArrayList<>(
        expect(200, spec.get("/api/audit"), "GET /api/audit " + filters)
            .jsonPath()
            .getList("items"));
  }

  // --- assertions and waiting ---

  /** Fails with the method, status and body unless {@code r} has {@code status}. */
  public static Response expect(int status, Response r, String what) {
    assertEquals(
        status,
        r.statusCode(),
        () -> what + " answered " + r.statusCode() + " instead of " + status + ": " + r.asString());
    return r;
  }

  /**
   * Fails unless {@code r} is a problem JSON answer with {@code status}, a title and a detail, and
   * (when {@code field} is not null) names that field; returns the parsed body.
   */
  public static JsonPath expectProblem(int status, String field, Response r, String what) {
    expect(status, r, what);
    String type = r.getContentType();
    if (type == null || !type.startsWith(PROBLEM_JSON)) {
      throw new AssertionError(
          what
              + " answered Content-Type "
              + type
              + " instead of "
              + PROBLEM_JSON
              + ": "
              + r.asString());
    }
    JsonPath j = r.jsonPath();
    assertEquals(
        status, j.getInt("status"), () -> what + ": problem 'status' is wrong: " + r.asString());
    if (isBlank(j.getString("title")) || isBlank(j.getString("detail"))) {
      throw new AssertionError(what + ": problem without title or detail: " + r.asString());
    }
    if (field != null) {
      assertEquals(
          field,
          j.getString("field"),
          () -> what + ": problem names the wrong field: " + r.asString());
    }
    return j;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Checks {@code condition} every 100 ms until it holds; fails after {@code timeout}. */
  public static void eventually(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
