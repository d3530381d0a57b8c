package io.tether.device;

import io.tether.access.AccessPolicy;
import io.tether.access.Action;
import io.tether.access.Principal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The access policy asked about a device by its id: loads the live device and answers 404 when the
 * principal may not see it, 403 when they see it but may not do the action. A device pending
 * approval exists only for managing it: seeing it as a fleet member or opening anything to it
 * answers 404 to everyone, admins included, until an admin approves it.
 */
@ApplicationScoped
public class DeviceAccess {
  private final AccessPolicy policy;

  @Inject
  DeviceAccess(AccessPolicy policy) {
    this.policy = policy;
  }

  /** The live device if the principal may do {@code action} on it. */
  public Device require(Principal principal, Action action, long deviceId) {
    Device device = Device.findLive(deviceId).orElseThrow(() -> AccessPolicy.notFound(deviceId));
    if (device.pending() && action != Action.MANAGE) {
      throw AccessPolicy.notFound(deviceId);
    }
    policy.check(principal, action, deviceId, device.group.id, device.group.name);
    return device;
  }

  /**
   * As {@link #require}, for opening a terminal, forward or data flow: the group's second-factor
   * rule applies too.
   */
  public Device requireOpen(Principal principal, Action action, long deviceId) {
    Device device = require(principal, action, deviceId);
    policy.checkSecondFactor(
        principal,
        device.group.requireSecondFactor,
        device.group.secondFactorTokenDays(),
        device.group.name);
    return device;
  }

  /**
   * As {@link #requireOpen}, for a new session (not the re-check of a live one): a group that asks
   * for the second factor again before each session wants it fresh.
   */
  public Device requireFreshOpen(Principal principal, Action action, long deviceId) {
    Device device = requireOpen(principal, action, deviceId);
    if (policy.requiresSecondFactor(device.group.requireSecondFactor)) {
      policy.checkFreshFactor(principal, device.group.reauthMinutes, device.group.name);
    }
    return device;
  }

  /** The device's registry entry: what admins manage (pending devices too), others view. */
  public Device requireEntry(Principal principal, long deviceId) {
    return require(principal, principal.admin() ? Action.MANAGE : Action.VIEW, deviceId);
  }

  /** Whether the principal may do {@code action} on this device. */
  public boolean may(Principal principal, Action action, Device device) {
    return policy.may(principal, action, device.group.id);
  }
}
