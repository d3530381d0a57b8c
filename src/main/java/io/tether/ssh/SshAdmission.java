package io.tether.ssh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.AccessPolicy;
import io.tether.access.Authenticator;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.SocketQuota;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.Device;
import io.tether.device.DeviceTarget;
import io.tether.relay.DeviceOwners;
import io.tether.session.CloseReasons;
import io.tether.session.JoinRequest;
import io.tether.session.TerminalRoute;
import io.tether.tunnel.Tunnels;
import io.tether.user.LoginThrottle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who may open which session over SSH: the signed-in user as they are now, the device by name, the
 * browser terminal's admission ({@link TerminalRoute#admitTerminal}) and the user's SSH session
 * quota. Blocking: runs on a worker thread. Every outcome is audited with the client's address.
 */
@ApplicationScoped
public class SshAdmission {
  /**
   * One answer for an unknown device, a device the user may not see, and an unknown target on one:
   * which names exist stays unsaid.
   */
  static final String NO_ACCESS = "no such device or target, or you have no access to it";

  /** The target a login without one means when the device reports no serial target. */
  static final String DEFAULT_TARGET = "console";

  @Inject Authenticator authenticator;
  @Inject TerminalRoute terminals;
  @Inject DeviceOwners owners;
  @Inject Tunnels tunnels;
  @Inject SocketQuota quota;
  @Inject AuditLog audit;
  @Inject LoginThrottle throttle;

  /** A refusal: one line for the user, then the connection closes. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String line) {
      super(line, null, false, false);
    }
  }

  /**
   * An admitted SSH session: who joins, its place in the user's quota, and the node holding the
   * device's tunnel when that is another node (then the session is joined there, relayed).
   */
  record Admitted(JoinRequest who, SocketQuota.Lease lease, Optional<DeviceOwners.Owner> owner) {}

  Admitted admit(Principal signedIn, SshLogin login, String address) {
    try {
      Admitted a = QuarkusTransaction.requiringNew().call(() -> admitted(signedIn, login, address));
      throttle.succeeded(login.user(), address);
      audit.recordAlone(
          Audit.by(signedIn, address)
              .action("ssh.login")
              .device(a.who().deviceId())
              .subject(a.who().deviceName() + ":" + a.who().target())
              .detail(signedInWith(signedIn)));
      return a;
    } catch (RuntimeException e) {
      Refused r = refusal(e);
      refused(signedIn.username(), signedIn.userId(), address, login.toString(), r.getMessage());
      throw r;
    }
  }

  private Admitted admitted(Principal signedIn, SshLogin login, String address) {
    Principal p =
        authenticator
            .current(signedIn)
            .orElseThrow(() -> new Refused("your account or key can no longer sign in"));
    if (login.device() == null) {
      throw new Refused("name a device: ssh USER:DEVICE[:TARGET]@host");
    }
    Device device =
        Device.<Device>find("name = ?1 and deletedAt is null", login.device())
            .firstResultOptional()
            .orElseThrow(() -> new Refused(NO_ACCESS));
    String target = login.target() != null ? login.target() : defaultTarget(device);
    JoinRequest who;
    try {
      who = terminals.admitTerminal(p, device.id, target, address, "ssh");
    } catch (ApiException e) {
      // the one refusal worth telling apart: the device is there, the key is not enough
      throw new Refused(
          AccessPolicy.SECOND_FACTOR_REQUIRED.equals(e.type()) ? e.getMessage() : NO_ACCESS);
    }
    if (!device.targets.isEmpty()
        && device.targets.stream().noneMatch(t -> t.name().equals(target))) {
      throw new Refused(NO_ACCESS);
    }
    Optional<DeviceOwners.Owner> owner = owners.remote(device.id);
    if (owner.isEmpty() && !tunnels.online(device.id)) {
      // a browser terminal waits for the device to come; an ssh command line is better told
      throw new Refused(
          CloseReasons.DEVICE_OFFLINE + ": the device is not connected to the portal");
    }
    SocketQuota.Lease lease = quota.acquire(p.userId(), SocketQuota.Kind.SSH);
    if (lease == null) {
      throw new Refused("you have the most open SSH sessions one user may hold: close one first");
    }
    return new Admitted(who, lease, owner);
  }

  /** How the SSH user signed in, for the audit log. */
  static String signedInWith(Principal p) {
    if (p.via() == Principal.Via.SSH_KEY) {
      return "signed in with a key";
    }
    return p.mfa() ? "signed in with password and second factor" : "signed in with password";
  }

  /** The refusal a failure carries (a transaction wraps it), else the failure itself rethrown. */
  private static Refused refusal(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Refused r) {
        return r;
      }
    }
    throw e;
  }

  /** The device's first serial target, else {@value #DEFAULT_TARGET}. */
  static String defaultTarget(Device device) {
    return device.targets.stream()
        .filter(t -> "serial".equals(t.kind()))
        .map(DeviceTarget::name)
        .findFirst()
        .orElse(DEFAULT_TARGET);
  }

  /** An SSH sign-in or session open that was refused, with why. */
  void refused(String username, Long userId, String address, String login, String why) {
    audit.recordAlone(
        Audit.by(username, userId, address)
            .action("ssh.refused")
            .outcome(Audit.DENIED)
            .subject(login)
            .detail(why));
  }
}
