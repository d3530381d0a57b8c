package io.tether.access;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.tether.api.ApiException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The principal of the current REST request, authenticated on first use, with the CSRF check for
 * cookie-authenticated state changes. Resources call {@link #require()} or {@link #requireAdmin()}.
 */
@RequestScoped
public class CurrentPrincipal {
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  @Inject CurrentVertxRequest current;
  @Inject Authenticator authenticator;
  @Inject WebSessionCookie cookie;
  @Inject ClientAddress clientAddress;
  @Inject TrustedProxies proxies;
  @Inject io.tether.boot.TetherConfig config;

  private Optional<Principal> principal;

  public Optional<Principal> get() {
    if (principal == null) {
      HttpServerRequest request = request();
      Cookie session = request.getCookie(cookie.name(proxies.https(request)));
      principal =
          authenticator.authenticate(
              request.getHeader("Authorization"), session == null ? null : session.getValue());
    }
    return principal;
  }

  /** The authenticated principal; 401 without one, 403 for a cookie state change without CSRF. */
  public Principal require() {
    Principal p =
        get().orElseThrow(() -> ApiException.unauthorized("sign in or send an API token"));
    HttpServerRequest request = request();
    if (p.via() == Principal.Via.WEB_SESSION && !SAFE.contains(request.method())) {
      String sent = request.getHeader(CSRF_HEADER);
      if (sent == null
          || !MessageDigest.isEqual(
              sent.getBytes(StandardCharsets.UTF_8),
              p.csrfToken().getBytes(StandardCharsets.UTF_8))) {
        throw ApiException.forbidden("missing or wrong " + CSRF_HEADER + " header");
      }
    }
    return p;
  }

  public Principal requireAdmin() {
    Principal p = require();
    if (!p.admin()) {
      throw ApiException.forbidden("this needs an admin");
    }
    return p;
  }

  /** The client's address (X-Forwarded-For only from trusted proxies). */
  public String address() {
    HttpServerRequest request = request();
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    return clientAddress.resolve(peer, request.getHeader("X-Forwarded-For"));
  }

  /** Whether the client uses https (here, or to a trusted proxy: {@link TrustedProxies}). */
  public boolean tls() {
    return proxies.https(request());
  }

  /**
   * The URL users reach the portal at, without a trailing slash: TETHER_PUBLIC_URL when set, else
   * this request's scheme and Host (right on one node reached directly; behind a proxy that
   * rewrites Host, set the public URL).
   */
  public String portalUrl() {
    String base =
        config
            .publicUrl()
            .filter(u -> !u.isBlank())
            .orElseGet(() -> (tls() ? "https://" : "http://") + request().authority().toString());
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  private HttpServerRequest request() {
    return current.getCurrent().request();
  }
}
