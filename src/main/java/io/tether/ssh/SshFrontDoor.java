package io.tether.ssh;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.access.AccessChanged;
import io.tether.access.AccessRecheck;
import io.tether.access.Authenticator;
import io.tether.access.CredentialWatch;
import io.tether.access.Principal;
import io.tether.boot.TetherConfig;
import io.tether.relay.RelayDialer;
import io.tether.session.SessionHubs;
import io.tether.session.TerminalRoute;
import io.tether.user.LoginThrottle;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.jboss.logging.Logger;

/**
 * The SSH server on {@code TETHER_SSH_PORT} (none when unset): its host key, its lifecycle, and the
 * live SSH sessions, which access changes re-check like browser terminals.
 */
@ApplicationScoped
public class SshFrontDoor {
  private static final Logger LOG = Logger.getLogger(SshFrontDoor.class);

  /**
   * Time to finish the key exchange and sign in: enough for a person's passphrase prompt, short
   * enough that idle half-open connections do not pile up.
   */
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(60);

  /** Sign-in attempts per connection; the throttle bounds the rest. */
  static final int MAX_AUTH_REQUESTS = 6;

  @Inject TetherConfig config;
  @Inject Vertx vertx;
  @Inject SessionHubs hubs;
  @Inject SshAdmission admission;
  @Inject SshKeyService keys;
  @Inject LoginThrottle throttle;
  @Inject AccessRecheck recheck;
  @Inject TerminalRoute terminals;
  @Inject SshPasswordSignIn passwords;
  @Inject SshForwards forwards;
  @Inject CredentialWatch credentials;
  @Inject Authenticator authenticator;
  @Inject RelayDialer relay;

  private final Set<SshShell> live = ConcurrentHashMap.newKeySet();
  private SshServer server;
  private SshHostKey hostKey;

  void onStart(@Observes StartupEvent event) {
    Optional<Integer> port = config.ssh().port();
    if (port.isEmpty()) {
      return;
    }
    Path file = config.ssh().hostKeyFile().orElse(config.dataDir().resolve(SshHostKey.FILE_NAME));
    hostKey = SshHostKey.load(file);
    SshServer s = SshServer.setUpDefaultServer();
    s.setHost(config.ssh().bind());
    s.setPort(port.get());
    s.setKeyPairProvider(hostKey.provider());
    s.setUserAuthFactories(
        List.of(UserAuthPublicKeyFactory.INSTANCE, SshPasswordAuth.factory(passwords, admission)));
    s.setPublickeyAuthenticator(new SshKeyAuth(keys, throttle, admission));
    s.setPasswordAuthenticator(null);
    s.setKeyboardInteractiveAuthenticator(null);
    s.addSessionListener(endsItsSignIn());
    // direct-tcpip is SshForward's (device targets); SSHD's own forwarding stays off
    s.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
    s.setChannelFactories(List.of(SshChannel.FACTORY, SshForward.factory(this)));
    s.setShellFactory(channel -> new SshShell(this, vertx.getOrCreateContext()));
    CoreModuleProperties.AUTH_TIMEOUT.set(s, AUTH_TIMEOUT);
    CoreModuleProperties.MAX_AUTH_REQUESTS.set(s, MAX_AUTH_REQUESTS);
    CoreModuleProperties.SERVER_IDENTIFICATION.set(s, "Tether");
    try {
      s.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "TETHER_SSH_PORT " + port.get() + ": cannot listen: " + e.getMessage(), e);
    }
    server = s;
    LOG.infof(
        "SSH front door on %s:%d, host key %s %s (%s)",
        config.ssh().bind(), s.getPort(), hostKey.type(), hostKey.fingerprint(), file);
  }

  /**
   * A password sign-in's session, and the connection's forward sessions, end with its SSH
   * connection, however that ends.
   */
  private SessionListener endsItsSignIn() {
    return new SessionListener() {
      @Override
      public void sessionClosed(Session session) {
        forwards.closed(session);
        Long id = session.getAttribute(SshPasswordAuth.SESSION_ID);
        if (id != null) {
          vertx
              .executeBlocking(
                  () -> {
                    passwords.ended(id);
                    return null;
                  },
                  false)
              .onFailure(e -> LOG.debugf("SSH sign-in %d not ended: %s", id, e));
        }
      }
    };
  }

  void onStop(@Observes @Priority(10) ShutdownEvent event) {
    if (server != null) {
      try {
        server.stop(true);
      } catch (IOException e) {
        LOG.debugf("SSH server stop: %s", e);
      }
    }
  }

  /** What users need to connect and verify: the port and the host key, or off. */
  public SshKeyApi.ServerView view() {
    return server == null
        ? new SshKeyApi.ServerView(false, null, null, null)
        : new SshKeyApi.ServerView(true, server.getPort(), hostKey.type(), hostKey.fingerprint());
  }

  SshAdmission admission() {
    return admission;
  }

  SessionHubs hubs() {
    return hubs;
  }

  long touchIntervalNanos() {
    return authenticator.touchInterval().toNanos();
  }

  /** Use of a session signed in with a password keeps it from idling out, as a browser's does. */
  void touch(Principal p) {
    vertx
        .executeBlocking(
            () -> {
              authenticator.touch(p);
              return null;
            },
            false)
        .onFailure(e -> LOG.debugf("SSH sign-in not touched: %s", e));
  }

  RelayDialer relay() {
    return relay;
  }

  SshForwards forwards() {
    return forwards;
  }

  CredentialWatch credentials() {
    return credentials;
  }

  Duration idleTimeout() {
    return config.ssh().idleTimeout();
  }

  void opened(SshShell shell) {
    live.add(shell);
  }

  void ended(SshShell shell) {
    live.remove(shell);
  }

  /** Access changes reach open SSH sessions within a second, as they reach browser terminals. */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    for (SshShell shell : live) {
      var who = shell.who();
      if (who != null && change.concerns(who.principal().userId(), who.deviceId())) {
        recheck.recheck(
            () -> terminals.stillAllowed(who),
            false,
            () -> live.contains(shell),
            allowed -> {
              if (!allowed) {
                shell.revoke(change.reason());
              }
            });
      }
    }
  }
}
