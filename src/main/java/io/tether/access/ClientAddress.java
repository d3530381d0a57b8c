package io.tether.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The address a request really comes from: the TCP peer, or — only when that peer is a trusted
 * reverse proxy — the nearest untrusted address in X-Forwarded-For. Anything else would let a
 * client pick its own address and dodge per-address lockouts.
 */
@ApplicationScoped
public class ClientAddress {
  private final TrustedProxies proxies;

  @Inject
  public ClientAddress(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  /** The client address of a raw Vert.x request (socket routes). */
  public String of(io.vertx.core.http.HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    return resolve(peer, request.getHeader("X-Forwarded-For"));
  }

  public String resolve(String peer, String forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    if (forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(String address) {
    return proxies.contains(address);
  }
}
