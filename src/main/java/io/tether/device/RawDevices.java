package io.tether.device;

import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import io.tether.boot.TetherConfig;
import io.tether.net.Cidr;
import io.tether.net.PortPool;
import io.tether.net.PortRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of raw devices (no agent; a device server dials its own ingress port): a mandatory
 * source allowlist, a port from the ingress pool, an optional connect string kept as an HMAC.
 */
@ApplicationScoped
public class RawDevices {
  /** Longest connect string: device servers allow short ones; it is read before any data. */
  public static final int MAX_CONNECT_SECRET = 64;

  @Inject TetherConfig config;
  @Inject TokenHasher hasher;
  @Inject Event<IngressChanged> changed;

  /** A raw device's ingress settings changed (created, allowlist, secret): listeners reload. */
  public record IngressChanged(long deviceId) {}

  /** Makes {@code device} raw: allowlist, ingress port, connect string. */
  void configure(Device device, List<String> allowCidrs, String connectSecret) {
    if (allowCidrs == null) {
      throw ApiException.badRequest(
          "allowCidrs",
          "a raw device needs allowCidrs: plain TCP carries no credentials, so only these sources"
              + " may dial in (an empty list admits nobody)");
    }
    device.mode = "raw";
    device.allowCidrs = cidrs(allowCidrs);
    device.ingressPort = port();
    secret(device, connectSecret);
  }

  /** Changes of a raw device's allowlist or connect string ({@code ""} removes the string). */
  void update(Device device, List<String> allowCidrs, String connectSecret) {
    if (!device.raw() && (allowCidrs != null || connectSecret != null)) {
      throw ApiException.badRequest(
          "allowCidrs", "allowCidrs and connectSecret apply to raw devices (mode raw) only");
    }
    if (allowCidrs != null) {
      device.allowCidrs = cidrs(allowCidrs);
    }
    if (connectSecret != null) {
      secret(device, connectSecret.isEmpty() ? null : connectSecret);
    }
  }

  /** Tells the ingress listeners once the transaction has committed. */
  void fireChanged(Device device) {
    if (device.raw()) {
      changed.fire(new IngressChanged(device.id));
    }
  }

  /** Whether {@code candidate} is the device's connect string (constant time). */
  public boolean secretMatches(byte[] candidate, byte[] storedHash) {
    return hasher.matches(new String(candidate, StandardCharsets.ISO_8859_1), storedHash);
  }

  private void secret(Device device, String secret) {
    if (secret == null) {
      device.connectSecretHash = null;
      device.connectSecretLength = null;
      return;
    }
    byte[] bytes = secret.getBytes(StandardCharsets.ISO_8859_1);
    if (bytes.length == 0
        || bytes.length > MAX_CONNECT_SECRET
        || !new String(bytes, StandardCharsets.ISO_8859_1).equals(secret)) {
      throw ApiException.badRequest(
          "connectSecret", "a connect string is 1-" + MAX_CONNECT_SECRET + " Latin-1 characters");
    }
    device.connectSecretHash = hasher.hash(secret);
    device.connectSecretLength = bytes.length;
  }

  private static String[] cidrs(List<String> values) {
    for (String v : values) {
      try {
        Cidr.parse(v);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "allowCidrs", "'" + v + "' is not an address or CIDR (e.g. 203.0.113.7/32)");
      }
    }
    return values.toArray(new String[0]);
  }

  private int port() {
    Set<Integer> taken =
        Device.<Device>find("ingressPort is not null").stream()
            .map(d -> d.ingressPort)
            .collect(Collectors.toSet());
    PortPool pool =
        new PortPool(PortRange.parse(config.ingress().ports()), config.ingress().bind());
    try {
      return pool.claimAny(taken);
    } catch (PortPool.Unavailable e) {
      throw ApiException.conflict("mode", "raw ingress: " + e.getMessage());
    }
  }
}
