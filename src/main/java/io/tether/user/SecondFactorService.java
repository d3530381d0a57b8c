package io.tether.user;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.mfa.PendingLogins;
import io.tether.mfa.TotpFactors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The second factor from the user's side: enrol, confirm and remove one's TOTP factor, complete a
 * pending sign-in with a code or a recovery code, and an admin's reset. Wrong codes count per
 * account ({@link SecondFactorThrottle}).
 */
@ApplicationScoped
public class SecondFactorService {
  /** The second factors a pending sign-in may be completed with. */
  static final List<String> METHODS = List.of("totp", "recovery");

  @Inject TotpFactors factors;
  @Inject PendingLogins pending;
  @Inject SecondFactorThrottle throttle;
  @Inject AuthService auth;
  @Inject AuditLog audit;

  /** A code to check: a TOTP code, or else a recovery code. */
  public record Code(String code, String recoveryCode) {
    String method() {
      return code != null ? "totp" : "recovery";
    }
  }

  public TotpFactors.Enrolment begin(Principal p, String address) {
    TotpFactors.Enrolment e = factors.begin(p.userId(), p.username());
    audit.recordAlone(Audit.by(p, address).action("user.totp-enrol").subject(p.username()));
    return e;
  }

  public List<String> confirm(Principal p, String code, String address) {
    List<String> codes = factors.confirm(p.userId(), code);
    audit.recordAlone(
        Audit.by(p, address)
            .action("user.totp-confirm")
            .subject(p.username())
            .detail(codes.size() + " recovery codes issued"));
    return codes;
  }

  /** Removes the caller's own factor: their password and a code of it, both right. */
  public void remove(Principal p, String password, Code code, String address) {
    UserAccount user = UserAccount.findById(p.userId());
    auth.checkPassword(user, password, "password", "user.totp-remove", address);
    if (!factors.active(user.id)) {
      factors.remove(user.id); // an unconfirmed enrolment goes without a code
      return;
    }
    if (!accepted(user, code, address)) {
      throw ApiException.badRequest(
          code.code() != null ? "code" : "recoveryCode", code.method() + " code is wrong");
    }
    factors.remove(user.id);
    audit.recordAlone(Audit.by(p, address).action("user.totp-remove").subject(p.username()));
  }

  /**
   * Re-checks the signed-in user before a sensitive change: their password, and a code of their
   * second factor when they have one (behind the same throttles as sign-in); 400 naming the field
   * that is wrong, audited as a failed {@code action}.
   */
  public void reauthenticate(
      Principal p, String password, Code code, String address, String action) {
    UserAccount user = UserAccount.findById(p.userId());
    auth.checkPassword(user, password, "password", action, address);
    if (!factors.active(user.id)) {
      return;
    }
    if (code.code() == null && code.recoveryCode() == null) {
      throw ApiException.badRequest("code", "a code of your second factor is needed");
    }
    if (!accepted(user, code, address)) {
      throw ApiException.badRequest(
          code.code() != null ? "code" : "recoveryCode", code.method() + " code is wrong");
    }
  }

  /** An admin removes a user's factor (lost phone and codes); their waiting sign-ins end. */
  public boolean reset(Principal admin, String address, long userId) {
    UserAccount user = UserAccount.findById(userId);
    if (user == null) {
      throw ApiException.notFound("no user " + userId);
    }
    boolean had = factors.remove(userId);
    pending.endAll(userId);
    throttle.succeeded(userId);
    audit.recordAlone(
        Audit.by(admin, address)
            .action("user.second-factor-reset")
            .subject(user.username)
            .detail(had ? "TOTP factor removed" : "no factor was set"));
    return had;
  }

  /**
   * Completes a pending sign-in: the pending token still valid, the account's second-factor step
   * not locked, the code right. Answers the session, established with a second factor.
   */
  public WebSessionService.Created complete(String pendingToken, Code code, String address) {
    PendingLogins.Pending p =
        pending
            .find(pendingToken)
            .orElseThrow(
                () ->
                    ApiException.unauthorized(
                        "this sign-in has expired or was already completed: sign in again"));
    UserAccount user = UserAccount.findById(p.userId());
    if (user == null || user.disabled) {
      throw ApiException.unauthorized("this sign-in has ended: sign in again");
    }
    if (!accepted(user, code, address)) {
      throw ApiException.unauthorized("wrong " + code.method() + " code");
    }
    if (!pending.complete(p.id())) {
      throw ApiException.unauthorized("this sign-in was already completed: sign in again");
    }
    return auth.signedIn(user, address, p.method(), true, code.method());
  }

  /** Whether the user signs in with a second factor (their TOTP factor is confirmed). */
  public boolean required(long userId) {
    return factors.active(userId);
  }

  /**
   * A second factor given outside a pending sign-in (SSH's keyboard-interactive step): right or
   * not, behind the same per-account lock, counted and audited alike; 429 while locked.
   */
  public boolean check(UserAccount user, Code code, String address) {
    return accepted(user, code, address);
  }

  /**
   * Whether the code is right for the user's active factor, behind the per-account lock: a wrong
   * one is counted and audited, the one that locks the step audited {@code auth.mfa-locked}; while
   * locked nothing is checked (429).
   */
  private boolean accepted(UserAccount user, Code code, String address) {
    Optional<Duration> locked = throttle.lockedFor(user.id);
    if (locked.isPresent()) {
      long seconds = Math.max(1, locked.get().toSeconds() + 1);
      throw ApiException.tooManyRequests(
          "too many wrong codes: this account's second-factor step is locked; try again in "
              + seconds
              + " s",
          seconds);
    }
    boolean right =
        code.code() != null
            ? factors.verify(user.id, code.code())
            : factors.useRecoveryCode(user.id, code.recoveryCode());
    if (right) {
      throttle.succeeded(user.id);
      return true;
    }
    boolean nowLocked = throttle.failed(user.id);
    audit.recordAlone(
        Audit.by(user.username, user.id, address)
            .action("auth.second-factor")
            .outcome(Audit.FAILED)
            .subject(user.username)
            .detail("wrong " + code.method() + " code"));
    if (nowLocked) {
      audit.recordAlone(
          Audit.by(user.username, user.id, address)
              .action("auth.mfa-locked")
              .outcome(Audit.DENIED)
              .subject(user.username)
              .detail(
                  "second-factor step locked for "
                      + throttle.lockoutDuration().toSeconds()
                      + " s after "
                      + SecondFactorThrottle.FAILURES_TO_LOCK
                      + " wrong codes"));
    }
    return false;
  }
}
