package io.tether.deviceweb;

import io.vertx.core.http.HttpServerResponse;

/** The small pages the portal itself answers on a device's origin: errors and the launch. */
final class WebPages {
  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}";

  private WebPages() {}

  /** An error page that says what happened, never a portal page. */
  static void send(HttpServerResponse response, int status, String title, String reason) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .end(
            "<!doctype html><meta charset=utf-8><title>"
                + escape(title)
                + "</title><style>"
                + STYLE
                + "</style><h1>"
                + escape(title)
                + "</h1><p>"
                + escape(reason)
                + "</p>");
  }

  /**
   * The launch answer: sets the cookie, then navigates to / from this origin itself, so the next
   * request is same-site and carries the SameSite=Strict cookie.
   */
  static void launched(HttpServerResponse response, String setCookie) {
    response
        .setStatusCode(200)
        .putHeader("Set-Cookie", setCookie)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'sha256-" + LaunchScript.HASH + "'")
        .end(
            "<!doctype html><meta charset=utf-8><title>Opening…</title>"
                + "<meta http-equiv=refresh content=\"0;url=/\"><script>"
                + LaunchScript.SOURCE
                + "</script><p>Opening the device's page… <a href=\"/\">continue</a></p>");
  }

  static String escape(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }

  /** The one script of the launch page, allowed by its hash. */
  static final class LaunchScript {
    static final String SOURCE = "location.replace('/')";
    static final String HASH = hash(SOURCE);

    private static String hash(String s) {
      try {
        return java.util.Base64.getEncoder()
            .encodeToString(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
