package io.tether.user;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.mfa.PendingLogins;
import io.tether.mfa.RelyingParty;
import io.tether.mfa.SecondFactors;
import io.tether.mfa.SecurityKeys;
import io.tether.mfa.TotpFactors;
import io.tether.mfa.WebAuthnCeremony;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The second factor from the user's side: enrol, confirm and remove one's TOTP factor, register and
 * remove security keys, complete a pending sign-in with a code, a recovery code or a key, and an
 * admin's reset. Wrong codes and refused keys count per account ({@link SecondFactorThrottle}).
 */
@ApplicationScoped
public class SecondFactorService {
  @Inject TotpFactors factors;
  @Inject SecondFactors all;
  @Inject SecurityKeys keys;
  @Inject PendingLogins pending;
  @Inject SecondFactorThrottle throttle;
  @Inject AuthService auth;
  @Inject AuditLog audit;

  /** A code to check: a TOTP code, or else a recovery code. */
  public record Code(String code, String recoveryCode) {
    String method() {
      return code != null ? SecondFactors.TOTP : SecondFactors.RECOVERY;
    }
  }

  /**
   * One check of a second factor behind the per-account lock: null when right, else the reason for
   * the audit log.
   */
  @FunctionalInterface
  private interface Check {
    String failure();
  }

  /** A security key's answer checked by {@link SecurityKeys}: refused with the reason, or not. */
  private interface KeyAnswer {
    void verify() throws WebAuthnCeremony.Refused;
  }

  /** {@link #accepted(UserAccount, Check, String)} for a security key's answer. */
  private boolean acceptedKey(UserAccount user, KeyAnswer answer, String address) {
    return accepted(
        user,
        () -> {
          try {
            answer.verify();
            return null;
          } catch (WebAuthnCeremony.Refused e) {
            return "security key refused: " + e.getMessage();
          }
        },
        address);
  }

  /**
   * The caller, signed in with a browser session: sign-in factors are the person's own business, an
   * API token does not change them.
   */
  static Principal ownSignIn(io.tether.access.CurrentPrincipal current) {
    Principal p = current.require();
    if (p.via() != Principal.Via.WEB_SESSION) {
      throw ApiException.forbidden("the second factor is managed from a browser session");
    }
    return p;
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

  /** A registered key, and the recovery codes to show once (empty when the user has some). */
  public record Registered(SecurityKeys.KeyInfo key, List<String> recoveryCodes) {}

  /**
   * Starts registering a security key. A user who has a second factor adds another only from a
   * session signed in with one, so a session stolen before the factor existed cannot add its own.
   */
  public SecurityKeys.Challenge beginKeyRegistration(Principal p) {
    requireSecondFactorSession(p, "add");
    return keys.beginRegistration(p.userId());
  }

  private void requireSecondFactorSession(Principal p, String verb) {
    if (all.any(p.userId()) && !p.mfa()) {
      throw ApiException.forbidden(
          "this session was signed in without your second factor: sign in again with it to "
              + verb
              + " a security key");
    }
  }

  /** Checks and stores the key; the first factor of an account brings its recovery codes. */
  public Registered finishKeyRegistration(
      Principal p, String name, String credentialJson, RelyingParty rp, String address) {
    SecurityKeys.KeyInfo key;
    try {
      key = keys.finishRegistration(p.userId(), name, credentialJson, rp);
    } catch (WebAuthnCeremony.Refused e) {
      audit.recordAlone(
          Audit.by(p, address)
              .action("user.webauthn-register")
              .outcome(Audit.FAILED)
              .subject(p.username())
              .detail(e.getMessage()));
      throw ApiException.badRequest(
          "credential", "the security key's answer was refused: " + e.getMessage());
    }
    List<String> codes = all.codesForNewFactor(p.userId());
    audit.recordAlone(
        Audit.by(p, address)
            .action("user.webauthn-register")
            .subject(p.username())
            .detail(
                "key "
                    + key.name()
                    + (codes.isEmpty() ? "" : ", " + codes.size() + " recovery codes issued")));
    return new Registered(key, codes);
  }

  /** Renames one of the caller's keys; 404 when it is not theirs. */
  public void renameKey(Principal p, long keyId, String name, String address) {
    String before =
        keys.name(p.userId(), keyId)
            .orElseThrow(() -> ApiException.notFound("you have no security key " + keyId));
    keys.rename(p.userId(), keyId, name);
    audit.recordAlone(
        Audit.by(p, address)
            .action("user.webauthn-rename")
            .subject(p.username())
            .detail("key " + before + " is now " + name));
  }

  /**
   * Removes one of the caller's keys, from a session signed in with a second factor; 404 when it is
   * not theirs. The recovery codes go with the account's last factor.
   */
  public void removeKey(Principal p, long keyId, String address) {
    requireSecondFactorSession(p, "remove");
    String name =
        keys.name(p.userId(), keyId)
            .orElseThrow(() -> ApiException.notFound("you have no security key " + keyId));
    all.removeKey(p.userId(), keyId);
    audit.recordAlone(
        Audit.by(p, address)
            .action("user.webauthn-remove")
            .subject(p.username())
            .detail("key " + name));
  }

  /** Removes the caller's own factor: their password and a code of it, both right. */
  public void remove(Principal p, String password, Code code, String address) {
    UserAccount user = UserAccount.findById(p.userId());
    auth.checkPassword(user, password, "password", "user.totp-remove", address);
    if (!factors.active(user.id)) {
      all.removeTotp(user.id); // an unconfirmed enrolment goes without a code
      return;
    }
    if (!accepted(user, code, address)) {
      throw ApiException.badRequest(
          code.code() != null ? "code" : "recoveryCode", code.method() + " code is wrong");
    }
    all.removeTotp(user.id);
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
      // a security key cannot answer in a form: with keys alone, this session must have used one
      if (keys.count(user.id) > 0 && !p.mfa()) {
        throw ApiException.forbidden("sign in again with your security key to make this change");
      }
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
    String removed = all.removeAll(userId);
    pending.endAll(userId);
    throttle.succeeded(userId);
    audit.recordAlone(
        Audit.by(admin, address)
            .action("user.second-factor-reset")
            .subject(user.username)
            .detail(removed));
    return !removed.equals(SecondFactors.NONE);
  }

  /**
   * Completes a pending sign-in: the pending token still valid, the account's second-factor step
   * not locked, the code right. Answers the session, established with a second factor.
   */
  public WebSessionService.Created complete(String pendingToken, Code code, String address) {
    PendingLogins.Pending p = pendingSignIn(pendingToken);
    UserAccount user = pendingUser(p);
    if (!accepted(user, code, address)) {
      throw ApiException.unauthorized("wrong " + code.method() + " code");
    }
    return signedIn(p, user, address, code.method());
  }

  /**
   * Whether a security key's answer to the user's step-up challenge is right, checked for {@code
   * rp} behind the per-account lock: a refused answer counts and is audited as a wrong code.
   */
  public boolean checkKey(UserAccount user, String assertionJson, RelyingParty rp, String address) {
    return acceptedKey(user, () -> keys.verifyStepUp(user.id, assertionJson, rp), address);
  }

  /** The challenge a security key signs to complete the pending sign-in, and the keys allowed. */
  public SecurityKeys.Challenge keyChallenge(String pendingToken) {
    PendingLogins.Pending p = pendingSignIn(pendingToken);
    UserAccount user = pendingUser(p);
    return keys.beginSignIn(user.id, p.id());
  }

  /**
   * Completes a pending sign-in with a security key's answer (the browser's PublicKeyCredential as
   * JSON) to the pending sign-in's challenge, checked for {@code rp}; a refused answer counts as a
   * wrong code.
   */
  public WebSessionService.Created completeWithKey(
      String pendingToken, String assertionJson, RelyingParty rp, String address) {
    PendingLogins.Pending p = pendingSignIn(pendingToken);
    UserAccount user = pendingUser(p);
    boolean right =
        acceptedKey(user, () -> keys.verifySignIn(user.id, p.id(), assertionJson, rp), address);
    if (!right) {
      throw ApiException.unauthorized("security key not recognised");
    }
    return signedIn(p, user, address, SecondFactors.WEBAUTHN);
  }

  private PendingLogins.Pending pendingSignIn(String pendingToken) {
    return pending
        .find(pendingToken)
        .orElseThrow(
            () ->
                ApiException.unauthorized(
                    "this sign-in has expired or was already completed: sign in again"));
  }

  private static UserAccount pendingUser(PendingLogins.Pending p) {
    UserAccount user = UserAccount.findById(p.userId());
    if (user == null || user.disabled) {
      throw ApiException.unauthorized("this sign-in has ended: sign in again");
    }
    return user;
  }

  private WebSessionService.Created signedIn(
      PendingLogins.Pending p, UserAccount user, String address, String factor) {
    if (!pending.complete(p.id())) {
      throw ApiException.unauthorized("this sign-in was already completed: sign in again");
    }
    return auth.signedIn(user, address, p.method(), true, factor);
  }

  /**
   * Whether the user signs in with a second factor (a confirmed TOTP factor or a security key).
   * SSH's keyboard-interactive step can only ask for a code: a user with keys alone answers it with
   * a recovery code.
   */
  public boolean required(long userId) {
    return all.any(userId);
  }

  /** The factors a pending sign-in of the user may be completed with. */
  public List<String> methods(long userId) {
    return all.methods(userId);
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
    return accepted(
        user,
        () -> {
          boolean right =
              code.code() != null
                  ? factors.verify(user.id, code.code())
                  : all.useRecoveryCode(user.id, code.recoveryCode());
          return right ? null : "wrong " + code.method() + " code";
        },
        address);
  }

  private boolean accepted(UserAccount user, Check check, String address) {
    Optional<Duration> locked = throttle.lockedFor(user.id);
    if (locked.isPresent()) {
      long seconds = Math.max(1, locked.get().toSeconds() + 1);
      throw ApiException.tooManyRequests(
          "too many wrong codes: this account's second-factor step is locked; try again in "
              + seconds
              + " s",
          seconds);
    }
    String failure = check.failure();
    if (failure == null) {
      throttle.succeeded(user.id);
      return true;
    }
    boolean nowLocked = throttle.failed(user.id);
    audit.recordAlone(
        Audit.by(user.username, user.id, address)
            .action("auth.second-factor")
            .outcome(Audit.FAILED)
            .subject(user.username)
            .detail(failure));
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
