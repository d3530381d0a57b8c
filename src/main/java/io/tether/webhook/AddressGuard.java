package io.tether.webhook;

import io.tether.net.Cidr;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a webhook may be sent (no SSRF): never to loopback, link-local (cloud metadata at
 * 169.254.169.254), "this network", multicast or broadcast, nor to an address of this host (the
 * portal's own listeners), and to private ranges only unless they are denied; {@code allow} names
 * blocks that are let through all the same. Checked on the address actually connected to.
 */
public record AddressGuard(
    List<Cidr> allow, boolean denyPrivate, Predicate<InetAddress> ownAddress) {
  /** Refused unless allowed, with the reason the delivery log shows. */
  static final Map<String, String> REFUSED =
      orderedMap(
          "0.0.0.0/8", "\"this network\"",
          "127.0.0.0/8", "loopback",
          "::1/128", "loopback",
          "::/128", "unspecified",
          "169.254.0.0/16", "link-local (cloud metadata)",
          "fe80::/10", "link-local",
          "224.0.0.0/4", "multicast",
          "ff00::/8", "multicast",
          "240.0.0.0/4", "reserved or broadcast");

  /** Refused only with {@code TETHER_WEBHOOK_DENY_PRIVATE=true}. */
  static final List<String> PRIVATE =
      List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");

  public static AddressGuard of(Optional<List<String>> allow, boolean denyPrivate) {
    List<Cidr> blocks =
        allow.orElse(List.of()).stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    return new AddressGuard(blocks, denyPrivate, AddressGuard::isLocalInterface);
  }

  /** This guard, also refusing {@code portal} addresses (the cluster's other nodes) as its own. */
  public AddressGuard alsoRefusing(Predicate<InetAddress> portal) {
    return new AddressGuard(allow, denyPrivate, ownAddress.or(portal));
  }

  /** Empty when a webhook may be sent to {@code address}, else why not. */
  public Optional<String> refusal(InetAddress address) {
    if (allow.stream().anyMatch(c -> c.contains(address))) {
      return Optional.empty();
    }
    String ip = address.getHostAddress();
    for (Map.Entry<String, String> e : REFUSED.entrySet()) {
      if (Cidr.parse(e.getKey()).contains(address)) {
        return Optional.of(ip + " is " + e.getValue() + allowHint());
      }
    }
    if (ownAddress.test(address)) {
      return Optional.of(
          ip + " is an address of the portal (this host or another node)" + allowHint());
    }
    if (denyPrivate && PRIVATE.stream().anyMatch(c -> Cidr.parse(c).contains(address))) {
      return Optional.of(ip + " is private and TETHER_WEBHOOK_DENY_PRIVATE is true");
    }
    return Optional.empty();
  }

  private static String allowHint() {
    return ": refused unless TETHER_WEBHOOK_ALLOW names it";
  }

  private static boolean isLocalInterface(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
