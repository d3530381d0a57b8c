package io.tether.access;

import io.tether.api.ApiException;
import io.tether.device.Device;
import io.tether.user.Grant;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one answer to "may this principal do this action on this device?". REST, terminals, the CLI
 * socket, link ports and ingress all ask it, on every request and every channel open. Grants are
 * read fresh each time, so a removed grant takes effect at once.
 */
@ApplicationScoped
public class AccessPolicy {
  /** The principal's role per device group id (admins have every right without grants). */
  public Map<Long, Role> roles(Principal principal) {
    Map<Long, Role> roles = new HashMap<>();
    for (Grant grant : Grant.ofUser(principal.userId())) {
      Role.parse(grant.role).ifPresent(r -> roles.put(grant.group.id, r));
    }
    return roles;
  }

  public boolean may(Principal principal, Action action, Device device) {
    if (principal.admin()) {
      return true;
    }
    Role role = roles(principal).get(device.group.id);
    return role != null && role.allows(action);
  }

  /**
   * Replaying recordings is a right of its own (they may hold what was typed): admins, and users
   * whose grant on the group says {@code replay}.
   */
  public boolean mayReplay(Principal principal, long groupId) {
    if (principal.admin()) {
      return true;
    }
    return Grant.ofUser(principal.userId()).stream()
        .anyMatch(g -> g.replay && g.group.id == groupId);
  }

  /**
   * The live device if the principal may do {@code action} on it. A device the principal may not
   * even see answers 404, so its existence does not leak; one it sees but may not act on, 403.
   */
  public Device require(Principal principal, Action action, long deviceId) {
    Device device = Device.findLive(deviceId).orElseThrow(() -> notFound(deviceId));
    if (principal.admin()) {
      return device;
    }
    Optional<Role> role = Optional.ofNullable(roles(principal).get(device.group.id));
    if (role.isEmpty()) {
      throw notFound(deviceId);
    }
    if (!role.get().allows(action)) {
      throw ApiException.forbidden(
          "your role on group '"
              + device.group.name
              + "' is "
              + role.get().wireName()
              + ", which does not allow "
              + action.name().toLowerCase(java.util.Locale.ROOT));
    }
    return device;
  }

  private static ApiException notFound(long deviceId) {
    return ApiException.notFound("no device " + deviceId);
  }
}
