package io.tether.forward;

import io.tether.access.Action;
import io.tether.access.Authenticator;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import io.tether.device.DeviceTarget;
import io.tether.relay.DeviceOwners;
import io.tether.tunnel.Tunnels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Decides whether a principal may forward to a device target now, with an error that says exactly
 * what is wrong: unknown device, no right, device offline, no such target.
 */
@ApplicationScoped
public class ForwardCheck {
  @Inject DeviceAccess deviceAccess;
  @Inject Authenticator authenticator;
  @Inject Tunnels tunnels;
  @Inject DeviceOwners owners;

  /** The device to forward to, by name (as users type it). */
  @Transactional
  public Device byName(Principal principal, String name, String target) {
    ApiException unknown = ApiException.notFound("no device named '" + name + "'");
    Device device =
        Device.<Device>find("lower(name) = lower(?1) and deletedAt is null", name)
            .firstResultOptional()
            .orElseThrow(() -> unknown);
    try {
      return check(principal, device.id, target);
    } catch (ApiException e) {
      // a device the caller may not see must answer exactly like one that does not exist
      throw e.status() == 404 && e.getMessage().startsWith("no device ") ? unknown : e;
    }
  }

  /**
   * Re-checked on every channel open of a live socket: the credential and the rights as they are
   * now, never the principal the socket opened with (an admin flag may have been dropped since).
   */
  @Transactional
  public Device recheck(Principal snapshot, long deviceId, String target) {
    Principal now =
        authenticator
            .current(snapshot)
            .orElseThrow(() -> ApiException.unauthorized("the API token was revoked or expired"));
    return check(now, deviceId, target);
  }

  /**
   * Whether the principal behind a live socket may still operate the device: {@code null} when its
   * credential ended (the socket must close), else whether the policy allows it.
   */
  @Transactional
  public Boolean stillAllowed(Principal snapshot, long deviceId) {
    Optional<Principal> now = authenticator.current(snapshot);
    if (now.isEmpty()) {
      return null;
    }
    try {
      deviceAccess.requireOpen(now.get(), Action.OPERATE, deviceId);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  /**
   * Checks a freshly authenticated principal: the device, the right, presence (here or, in a
   * cluster, on another live node), the target.
   */
  @Transactional
  public Device check(Principal principal, long deviceId, String target) {
    return check(principal, deviceId, target, () -> owners.remote(deviceId).isPresent());
  }

  /**
   * As {@link #check(Principal, long, String)}, with the device's other node already looked up by
   * the caller (so the route is read once).
   */
  @Transactional
  public Device check(
      Principal principal, long deviceId, String target, Optional<DeviceOwners.Owner> elsewhere) {
    return check(principal, deviceId, target, elsewhere::isPresent);
  }

  private Device check(
      Principal principal, long deviceId, String target, BooleanSupplier onlineElsewhere) {
    // the check and every channel open of a forward socket: each is a new session
    Device device = deviceAccess.requireFreshOpen(principal, Action.OPERATE, deviceId);
    if (!tunnels.online(device.id) && !onlineElsewhere.getAsBoolean()) {
      throw new ApiException(409, "device '" + device.name + "' is offline");
    }
    if (target != null && device.targets.stream().noneMatch(t -> t.name().equals(target))) {
      String offered =
          device.targets.stream().map(DeviceTarget::name).collect(Collectors.joining(", "));
      throw ApiException.notFound(
          "device '"
              + device.name
              + "' offers no target '"
              + target
              + "'"
              + (offered.isEmpty() ? "" : " (it offers: " + offered + ")"));
    }
    return device;
  }
}
