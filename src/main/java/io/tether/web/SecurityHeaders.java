package io.tether.web;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tether.access.TrustedProxies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Browser security headers on every response of the main port (UI, API, static files, errors), plus
 * the caching rule of each kind of path.
 */
@ApplicationScoped
public class SecurityHeaders {
  /** Hashed file names under /assets/ change with every build: cache them for a year. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  @Inject TrustedProxies proxies;

  void register(@Observes Router router) {
    // right after Quarkus' own first handlers, before anything can end the response
    router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // a WebSocket upgrade answers 101 and then speaks frames: none of this applies to it
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      String path = request.path();
      String host = request.getHeader("Host");
      boolean tls = proxies.https(request);
      ctx.addHeadersEndHandler(
          v -> apply(ctx.response().headers(), ctx.response().getStatusCode(), path, host, tls));
    }
    ctx.next();
  }

  static void apply(MultiMap headers, int status, String path, String host, boolean tls) {
    headers.set("Content-Security-Policy", ContentSecurityPolicy.forHost(host));
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    if (tls) {
      headers.set("Strict-Transport-Security", "max-age=31536000");
    }
    String cache = cacheControl(path, status, headers.get("Content-Type"));
    if (cache != null) {
      headers.set("Cache-Control", cache);
    }
  }

  /**
   * API answers carry sessions, tokens and device data: never stored. The app's HTML is revalidated
   * each time so a portal upgrade is picked up; its hashed assets are immutable. Null: leave as is.
   */
  static String cacheControl(String path, int status, String contentType) {
    if (path == null) {
      return null;
    }
    if (path.equals("/api") || path.startsWith("/api/")) {
      return "no-store";
    }
    if (path.startsWith("/assets/")) {
      return status == 200 || status == 304 ? IMMUTABLE : "no-store";
    }
    if (contentType != null && contentType.startsWith("text/html")) {
      return "no-cache";
    }
    return null;
  }
}
