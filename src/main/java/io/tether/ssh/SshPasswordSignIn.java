package io.tether.ssh;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.mfa.Totp;
import io.tether.user.AuthService;
import io.tether.user.SecondFactorService;
import io.tether.user.UserAccount;
import io.tether.user.WebSessionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The steps of an SSH sign-in with a password and, for a user who has one, the second factor: the
 * web sign-in's own checks (throttle and lockout per user and address, the per-account lock of the
 * second-factor step, the same audit entries). What it establishes is a server-side session like a
 * browser's: listed among the user's active sessions, ended by sign-out everywhere, a password
 * change or revocation, and by the SSH connection's end. Blocking: SSHD's threads call it, with no
 * request context of their own.
 */
@ApplicationScoped
public class SshPasswordSignIn {
  @Inject AuthService auth;
  @Inject SecondFactorService secondFactor;
  @Inject WebSessionService sessions;

  /** The account whose password this is, or why not (one line for the audit). */
  record Checked(UserAccount user, String refusal) {}

  @ActivateRequestContext
  Checked password(String username, String password, String address) {
    try {
      return new Checked(auth.checkSignIn(username, password, address), null);
    } catch (ApiException e) {
      return new Checked(null, e.getMessage());
    }
  }

  @ActivateRequestContext
  boolean needsCode(UserAccount user) {
    return secondFactor.required(user.id);
  }

  /** A TOTP code (six digits) or else a recovery code; empty when right, else why not. */
  @ActivateRequestContext
  Optional<String> code(UserAccount user, String answer, String address) {
    String typed = answer == null ? "" : answer.strip();
    boolean totp = typed.length() == Totp.DIGITS && typed.chars().allMatch(Character::isDigit);
    SecondFactorService.Code code =
        totp
            ? new SecondFactorService.Code(typed, null)
            : new SecondFactorService.Code(null, typed);
    try {
      return secondFactor.check(user, code, address)
          ? Optional.empty()
          : Optional.of("wrong " + (totp ? "totp" : "recovery") + " code");
    } catch (ApiException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The session this sign-in establishes; {@code mfa} when it passed a second factor. */
  @ActivateRequestContext
  @Transactional
  Principal signIn(UserAccount user, String address, boolean mfa) {
    WebSessionService.Created created = sessions.create(user, address, mfa, "ssh");
    return sessions
        .current(created.session().id)
        .orElseThrow(() -> new IllegalStateException("a session just made is not valid"));
  }

  /** The SSH connection ended: its session ends with it. */
  @ActivateRequestContext
  void ended(long sessionId) {
    sessions.revoke(sessionId);
  }
}
