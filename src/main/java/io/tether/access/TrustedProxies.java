package io.tether.access;

import io.tether.boot.TetherConfig;
import io.tether.net.Cidr;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The reverse proxies of {@code TETHER_TRUSTED_PROXIES}: only a request from one of them has its
 * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} believed. From anyone else those headers
 * are what the client chose to send.
 */
@ApplicationScoped
public class TrustedProxies {
  private final List<Cidr> trusted;

  @Inject
  public TrustedProxies(TetherConfig config) {
    this(config.trustedProxies().orElse(List.of()));
  }

  TrustedProxies(List<String> cidrs) {
    this.trusted = cidrs.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
  }

  public boolean contains(String address) {
    return trusted.stream().anyMatch(c -> c.contains(address));
  }

  /**
   * Whether the client reached the portal over https: TLS on this very connection, or a trusted
   * proxy's {@code X-Forwarded-Proto} says so. Drives the {@code __Host-}/Secure session cookie,
   * HSTS and the expected WebSocket Origin when {@code TETHER_PUBLIC_URL} is not set.
   */
  public boolean https(HttpServerRequest request) {
    if (request.isSSL()) {
      return true;
    }
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    return forwardedHttps(peer, request.getHeader("X-Forwarded-Proto"));
  }

  /**
   * The last value counts: the one the nearest proxy (the trusted peer) set or appended; Caddy and
   * our nginx config overwrite the header, so there is only one.
   */
  boolean forwardedHttps(String peer, String forwardedProto) {
    if (peer == null || forwardedProto == null || !contains(peer)) {
      return false;
    }
    String[] values = forwardedProto.split(",");
    return values[values.length - 1].trim().equalsIgnoreCase("https");
  }
}
