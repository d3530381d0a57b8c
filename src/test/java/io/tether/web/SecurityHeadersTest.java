package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The headers every response carries and the caching rule of each kind of path. */
class SecurityHeadersTest {
  private static MultiMap apply(String path, int status, String contentType, boolean tls) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (contentType != null) {
      headers.set("Content-Type", contentType);
    }
    SecurityHeaders.apply(headers, status, path, "portal.example:8443", tls);
    return headers;
  }

  @Test
  void everyResponseGetsTheBrowserSecurityHeaders() {
    MultiMap headers = apply("/devices/1", 200, "text/html; charset=utf-8", false);
    assertEquals("nosniff", headers.get("X-Content-Type-Options"));
    assertEquals("DENY", headers.get("X-Frame-Options"));
    assertEquals("no-referrer", headers.get("Referrer-Policy"));
    String csp = headers.get("Content-Security-Policy");
    for (String directive :
        new String[] {
          "default-src 'self'",
          "script-src 'self'",
          "img-src 'self' data:",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "connect-src 'self' ws://portal.example:8443 wss://portal.example:8443"
        }) {
      assertTrue(csp.contains(directive), () -> "CSP lacks " + directive + ": " + csp);
    }
    assertFalse(csp.contains("script-src 'self' 'unsafe"), csp);
    assertNull(headers.get("Strict-Transport-Security"), "no HSTS over plain http");
  }

  @Test
  void httpsResponsesAlsoSetHsts() {
    assertEquals("max-age=31536000", apply("/", 200, null, true).get("Strict-Transport-Security"));
  }

  @Test
  void aHostHeaderCannotInjectDirectives() {
    String csp = ContentSecurityPolicy.forHost("evil; script-src *");
    assertTrue(csp.endsWith("connect-src 'self'"), csp);
    assertFalse(csp.contains("evil"), csp);
  }

  @Test
  void apiAnswersAreNeverStoredAndAssetsAreImmutable() {
    assertEquals("no-store", SecurityHeaders.cacheControl("/api/me", 200, "application/json"));
    assertEquals("no-store", SecurityHeaders.cacheControl("/api", 404, null));
    assertEquals(
        SecurityHeaders.IMMUTABLE,
        SecurityHeaders.cacheControl("/assets/index-1.js", 200, "text/javascript"));
    assertEquals(
        "no-store", SecurityHeaders.cacheControl("/assets/missing.js", 404, "application/json"));
    assertEquals("no-cache", SecurityHeaders.cacheControl("/", 200, "text/html;charset=UTF-8"));
    assertNull(SecurityHeaders.cacheControl("/favicon.svg", 200, "image/svg+xml"));
  }
}
