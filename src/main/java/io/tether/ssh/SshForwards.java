package io.tether.ssh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.AccessChanged;
import io.tether.access.AccessRecheck;
import io.tether.access.Authenticator;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.Device;
import io.tether.forward.ForwardCheck;
import io.tether.forward.ForwardConnector;
import io.tether.protocol.Reason;
import io.tether.relay.DeviceOwners;
import io.tether.session.CloseReasons;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.session.ServerSession;

/**
 * {@code direct-tcpip} over the SSH front door: who may forward to which TCP target (the tether-cli
 * forward's rules, asked on every open and again when access changes), the live channels, and their
 * forward session rows (one per SSH connection and target, as per CLI socket).
 */
@ApplicationScoped
public class SshForwards {
  /** Channels one SSH connection may hold open at once; one more is refused. */
  static final int MAX_CHANNELS_PER_CONNECTION = 16;

  /** The Vert.x context a connection's forwards run on (one per SSH connection). */
  private static final AttributeRepository.AttributeKey<Context> CONTEXT =
      new AttributeRepository.AttributeKey<>();

  @Inject Vertx vertx;
  @Inject Authenticator authenticator;
  @Inject ForwardCheck check;
  @Inject ForwardConnector connector;
  @Inject DeviceOwners owners;
  @Inject AccessRecheck recheck;
  @Inject AuditLog audit;

  /** What an admitted channel is: whose, to which device. */
  record Opened(Principal principal, long deviceId, ServerSession session) {}

  private final Map<SshForward, Opened> live = new ConcurrentHashMap<>();

  Context contextOf(ServerSession session) {
    synchronized (session) {
      Context c = session.getAttribute(CONTEXT);
      if (c == null) {
        c = vertx.getOrCreateContext();
        session.setAttribute(CONTEXT, c);
      }
      return c;
    }
  }

  /** Admits the channel (on a worker), then asks the device for it (on the context). */
  void open(ServerSession session, String target, SshForward forward, Context context) {
    Principal signedIn = session.getAttribute(SshKeyAuth.PRINCIPAL);
    SshLogin login = session.getAttribute(SshKeyAuth.LOGIN);
    String address = SshKeyAuth.address(session);
    context.runOnContext(
        v ->
            context
                .executeBlocking(() -> admit(signedIn, login, target, session, address), false)
                .onComplete(
                    r -> {
                      if (r.failed()) {
                        String why =
                            r.cause() instanceof SshAdmission.Refused refused
                                ? refused.getMessage()
                                : "the portal could not open the channel: try again";
                        forward.refuse(why);
                        return;
                      }
                      Admitted a = r.result();
                      Opened opened = new Opened(a.principal(), a.device().id, session);
                      forward.admitted(opened);
                      live.put(forward, opened);
                      if (a.serial()) {
                        connector.joinSerial(
                            a.device(),
                            target,
                            forward,
                            a.principal(),
                            address,
                            "ssh",
                            false,
                            context);
                      } else if (a.node().isPresent()) {
                        connector.openTcpOn(
                            a.node().get(),
                            session,
                            a.device(),
                            target,
                            forward,
                            a.principal(),
                            address,
                            context);
                      } else {
                        connector.openTcp(
                            session,
                            a.device(),
                            target,
                            Optional.empty(),
                            forward,
                            a.principal(),
                            context);
                      }
                    }));
  }

  /**
   * An admitted channel; {@code node}: the other node holding the device's tunnel, if any; {@code
   * serial}: to a serial target (then a participant of its session, on this node).
   */
  private record Admitted(
      Principal principal, Device device, Optional<DeviceOwners.Owner> node, boolean serial) {}

  private Admitted admit(
      Principal signedIn, SshLogin login, String target, ServerSession session, String address) {
    String subject = login.device() + ":" + target;
    try {
      Admitted a =
          QuarkusTransaction.requiringNew().call(() -> admitted(signedIn, login, target, session));
      audit.recordAlone(
          Audit.by(signedIn, address)
              .action("ssh.forward")
              .device(a.device().id)
              .subject(a.device().name + ":" + target));
      return a;
    } catch (RuntimeException e) {
      String why = refusalOf(e);
      audit.recordAlone(
          Audit.by(signedIn, address)
              .action("ssh.refused")
              .outcome(Audit.DENIED)
              .subject(subject)
              .detail("direct-tcpip: " + why));
      throw new SshAdmission.Refused(why);
    }
  }

  private Admitted admitted(
      Principal signedIn, SshLogin login, String target, ServerSession session) {
    Principal p =
        authenticator
            .current(signedIn)
            .orElseThrow(() -> new SshAdmission.Refused("your sign-in has ended"));
    if (login.device() == null) {
      throw new SshAdmission.Refused(
          "name the device in the login: ssh -L PORT:TARGET:1 USER:DEVICE@host");
    }
    if (live.values().stream().filter(o -> o.session() == session).count()
        >= MAX_CHANNELS_PER_CONNECTION) {
      throw new SshAdmission.Refused(
          "at most " + MAX_CHANNELS_PER_CONNECTION + " forwarded connections at once");
    }
    Device device = check.byName(p, login.device(), target);
    boolean serial =
        device.targets.stream().anyMatch(t -> t.name().equals(target) && "serial".equals(t.kind()));
    Optional<DeviceOwners.Owner> node = owners.remote(device.id);
    if (serial && node.isPresent()) {
      throw new SshAdmission.Refused(
          "'"
              + target
              + "' is a serial target of a device on another portal node: ssh -L reaches"
              + " serial targets on this node only; open it with ssh USER:"
              + device.name
              + ":"
              + target
              + "@host (relayed)");
    }
    return new Admitted(p, device, node, serial);
  }

  /** One line for the client: the policy's own words, which never tell unseen names apart. */
  private static String refusalOf(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SshAdmission.Refused r) {
        return r.getMessage();
      }
      if (t instanceof ApiException api) {
        return api.getMessage();
      }
    }
    throw e;
  }

  void ended(SshForward forward) {
    live.remove(forward);
  }

  /** The SSH connection closed: its forward sessions end (on its context). */
  void closed(Session session) {
    Context c = session.getAttribute(CONTEXT);
    if (c != null) {
      c.runOnContext(v -> connector.closed(session));
    }
  }

  /** Access changes re-check each affected channel with its principal as it is now. */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    for (Map.Entry<SshForward, Opened> e : live.entrySet()) {
      Opened o = e.getValue();
      if (change.concerns(o.principal().userId(), o.deviceId())) {
        SshForward forward = e.getKey();
        recheck.recheck(
            () -> check.stillAllowed(o.principal(), o.deviceId()),
            null,
            () -> live.containsKey(forward),
            allowed -> {
              if (allowed == null || !allowed) {
                Context c = o.session().getAttribute(CONTEXT);
                c.runOnContext(
                    v ->
                        forward.revoke(
                            new Reason(
                                Reason.ACCESS_REVOKED,
                                CloseReasons.ACCESS_REVOKED + ": " + change.reason())));
              }
            });
      }
    }
  }
}
