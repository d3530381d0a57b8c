package io.tether.user;

import io.tether.access.AccessChanged;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.mfa.PendingLogins;
import io.tether.mfa.SecondFactors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Sign-in with throttling, sign-out, and password changes. */
@ApplicationScoped
public class AuthService {
  /** Hash checked when the username is unknown, so timing does not reveal which names exist. */
  private volatile String dummyHash;

  @Inject LoginThrottle throttle;
  @Inject PasswordHasher hasher;
  @Inject WebSessionService sessions;
  @Inject ApiTokenService tokens;
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;
  @Inject SecondFactors factors;
  @Inject PendingLogins pending;
  @Inject io.tether.boot.TetherConfig config;

  /**
   * What a right password gives: a session, or (for a user with a second factor) a pending token
   * for the second step, the factors that may complete it, and no session.
   */
  public record Outcome(
      WebSessionService.Created session, String pendingToken, java.util.List<String> methods) {}

  public Outcome login(String username, String password, String address) {
    UserAccount user = checkSignIn(username, password, address);
    java.util.List<String> methods = factors.methods(user.id);
    if (!methods.isEmpty()) {
      return new Outcome(null, pending.issue(user.id, address), methods);
    }
    return new Outcome(signedIn(user, address, null), null, methods);
  }

  /**
   * The first step of every password sign-in (the browser's, SSH's keyboard-interactive): behind
   * the throttle and lockout, the enabled account whose password this is and who may sign in with
   * one ({@link #passwordAllowed}), or 429 / 401 / 403 with every failure audited {@code
   * auth.login}. Establishes nothing.
   */
  public UserAccount checkSignIn(String username, String password, String address) {
    Optional<LoginThrottle.Refusal> refusal = throttle.check(username, address);
    if (refusal.isPresent()) {
      long seconds = Math.max(1, refusal.get().retryAfter().toSeconds() + 1);
      audit.recordAlone(
          Audit.by(username, null, address)
              .action("auth.login")
              .outcome(Audit.DENIED)
              .subject(username)
              .detail(refusal.get().reason()));
      throw ApiException.tooManyRequests(
          refusal.get().reason() + "; try again in " + seconds + " s", seconds);
    }
    Optional<UserAccount> user = UserAccount.findByUsername(username);
    boolean passwordOk =
        hasher.matches(password, user.map(u -> u.passwordHash).orElseGet(this::dummyHash));
    if (user.isEmpty() || !passwordOk || user.get().disabled) {
      boolean locked = throttle.failed(username, address);
      Long userId = user.map(u -> u.id).orElse(null);
      audit.recordAlone(
          Audit.by(username, userId, address)
              .action("auth.login")
              .outcome(Audit.FAILED)
              .subject(username)
              .detail(
                  user.isPresent() && user.get().disabled
                      ? "account disabled"
                      : "wrong username or password"));
      if (locked) {
        Duration lock = throttle.lockoutDuration();
        audit.recordAlone(
            Audit.by(username, userId, address)
                .action("auth.lockout")
                .outcome(Audit.DENIED)
                .subject(username)
                .detail(
                    "locked for "
                        + lock.toSeconds()
                        + " s after "
                        + LoginThrottle.FAILURES_TO_LOCK
                        + " failures"));
      }
      // a disabled account answers as a wrong password does, whether or not the password was
      // right: otherwise the answer confirms a guessed password (the audit entry tells admins)
      throw ApiException.unauthorized("wrong username or password");
    }
    throttle.succeeded(username, address);
    if (!passwordAllowed(user.get())) {
      audit.recordAlone(
          Audit.by(username, user.get().id, address)
              .action("auth.login")
              .outcome(Audit.DENIED)
              .subject(username)
              .detail("password sign-in is off for this account"));
      throw ApiException.forbidden(
          "password sign-in is off for this account: use single sign-on (Sign in with …)");
    }
    return user.get();
  }

  /**
   * The session of a completed sign-in, audited {@code auth.login}; {@code secondFactor} names the
   * factor that completed it (then the session counts as two-factor), null for a password alone.
   */
  WebSessionService.Created signedIn(UserAccount user, String address, String secondFactor) {
    return signedIn(user, address, null, secondFactor != null, secondFactor);
  }

  /**
   * The session of a completed sign-in whose first step was {@code method} ({@code
   * oidc:<provider>}; null for a password), audited {@code auth.login}; {@code mfa} when it counts
   * as two-factor, {@code secondFactor} the factor of ours that completed it (or null).
   */
  public WebSessionService.Created signedIn(
      UserAccount user, String address, String method, boolean mfa, String secondFactor) {
    WebSessionService.Created created =
        sessions.create(user, address, mfa, method == null ? "password" : method);
    java.util.List<String> detail = new java.util.ArrayList<>();
    if (method != null) {
      detail.add("method: " + method);
    }
    if (secondFactor != null) {
      detail.add("secondFactor: " + secondFactor);
    }
    audit.recordAlone(
        Audit.by(user.username, user.id, address)
            .action("auth.login")
            .subject(user.username)
            .detail(detail.isEmpty() ? null : String.join(", ", detail)));
    return created;
  }

  /**
   * Whether a right password signs this user in: a break-glass admin always (an identity provider
   * outage locks no one out), others while both the deployment and their account allow it.
   */
  public boolean passwordAllowed(UserAccount user) {
    return (user.breakGlass && user.admin) || (config.auth().passwordLogin() && user.passwordLogin);
  }

  private String dummyHash() {
    if (dummyHash == null) {
      dummyHash = hasher.hash("not-a-real-password");
    }
    return dummyHash;
  }

  public void logout(long userId, String username, long sessionId, String address) {
    sessions.revoke(sessionId);
    accessChanged.fire(
        AccessChanged.sessions(AccessChanged.Kind.SESSION_ENDED, userId, sessionId, "signed out"));
    audit.recordAlone(Audit.by(username, userId, address).action("auth.logout").subject(username));
  }

  public void logoutEverywhere(long userId, String username, String address) {
    sessions.revokeAll(userId, null);
    accessChanged.fire(
        AccessChanged.user(AccessChanged.Kind.SESSIONS_REVOKED, userId, "signed out everywhere"));
    audit.recordAlone(
        Audit.by(username, userId, address).action("auth.logout-everywhere").subject(username));
  }

  /**
   * Re-checks the signed-in user's password before a sensitive change, behind the login throttle: a
   * wrong one counts as a failed sign-in, is audited as a failed {@code action} and answers 400 on
   * {@code field}.
   */
  void checkPassword(
      UserAccount user, String password, String field, String action, String address) {
    Optional<LoginThrottle.Refusal> refusal = throttle.check(user.username, address);
    if (refusal.isPresent()) {
      throw ApiException.tooManyRequests(
          refusal.get().reason(), refusal.get().retryAfter().toSeconds() + 1);
    }
    if (!hasher.matches(password, user.passwordHash)) {
      throttle.failed(user.username, address);
      audit.recordAlone(
          Audit.by(user.username, user.id, address)
              .action(action)
              .outcome(Audit.FAILED)
              .subject(user.username)
              .detail("wrong current password"));
      throw ApiException.badRequest(field, field + " is wrong");
    }
  }

  /** Changes the caller's own password; the caller's other sessions end, and tokens if asked. */
  @Transactional
  public void changeOwnPassword(
      long userId,
      Long keepSession,
      String current,
      String next,
      boolean revokeTokens,
      String address) {
    UserAccount user = UserAccount.findById(userId);
    checkPassword(user, current, "currentPassword", "user.password", address);
    Passwords.check("newPassword", next);
    user.passwordHash = hasher.hash(next);
    user.passwordChangedAt = Instant.now();
    sessions.revokeAll(userId, keepSession);
    accessChanged.fire(
        AccessChanged.sessions(
            AccessChanged.Kind.SESSIONS_REVOKED, userId, keepSession, "password changed"));
    int revoked = revokeTokens ? tokens.revokeAll(userId) : 0;
    if (revoked > 0) {
      accessChanged.fire(
          AccessChanged.user(AccessChanged.Kind.TOKEN_REVOKED, userId, "password changed"));
    }
    audit.record(
        Audit.by(user.username, userId, address)
            .action("user.password")
            .subject(user.username)
            .detail(revoked > 0 ? revoked + " API token(s) revoked" : null));
  }
}
