package io.tether.ssh;

import io.tether.access.Principal;
import io.tether.user.LoginThrottle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Public-key sign-in: the key must be registered to the user the login names ({@code USER:…}), and
 * that user enabled. Attempts count in the web sign-in's throttle and lockout ({@link
 * LoginThrottle}, per user and client address); SSHD asks once per offered key and once more with
 * the signature, on its own threads (blocking database reads are fine there).
 */
final class SshKeyAuth implements PublickeyAuthenticator {
  /** Who signed in on a session. */
  static final AttributeRepository.AttributeKey<Principal> PRINCIPAL =
      new AttributeRepository.AttributeKey<>();

  /** What the login asked for. */
  static final AttributeRepository.AttributeKey<SshLogin> LOGIN =
      new AttributeRepository.AttributeKey<>();

  /**
   * Set once the connection passed the throttle's check: the per-address rate counts connections,
   * not each key a client offers (SSHD asks twice per key: once to offer it, once signed), while
   * every refused key still counts as a failure.
   */
  static final AttributeRepository.AttributeKey<Boolean> THROTTLE_PASSED =
      new AttributeRepository.AttributeKey<>();

  private final SshKeyService keys;
  private final LoginThrottle throttle;
  private final SshAdmission admission;

  SshKeyAuth(SshKeyService keys, LoginThrottle throttle, SshAdmission admission) {
    this.keys = keys;
    this.throttle = throttle;
    this.admission = admission;
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    String address = address(session);
    Optional<SshLogin> login = SshLogin.parse(username);
    String user = login.map(SshLogin::user).orElse(String.valueOf(username));
    if (session.getAttribute(THROTTLE_PASSED) == null) {
      Optional<LoginThrottle.Refusal> throttled = throttle.check(user, address);
      if (throttled.isPresent()) {
        admission.refused(user, null, address, username, throttled.get().reason());
        return false;
      }
      session.setAttribute(THROTTLE_PASSED, Boolean.TRUE);
    }
    Optional<Principal> p =
        login.isEmpty()
            ? Optional.empty()
            : keys.verify(PublicKeys.fingerprint(key))
                .filter(found -> found.username().equalsIgnoreCase(user));
    if (p.isEmpty()) {
      boolean locked = throttle.failed(user, address);
      admission.refused(
          user,
          null,
          address,
          username,
          (login.isEmpty()
                  ? "the login is not USER:DEVICE[:TARGET]"
                  : "the key is not registered to this user, or the user is disabled")
              + (locked
                  ? "; too many failures: locked for "
                      + throttle.lockoutDuration().toSeconds()
                      + " s from this address"
                  : ""));
      return false;
    }
    session.setAttribute(PRINCIPAL, p.get());
    session.setAttribute(LOGIN, login.get());
    return true;
  }

  /** The client's IP address as the audit log shows addresses. */
  static String address(ServerSession session) {
    SocketAddress a = session.getClientAddress();
    return a instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress()
        : String.valueOf(a);
  }
}
