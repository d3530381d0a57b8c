package io.tether.mfa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * All of a user's second factors at once: a TOTP factor and any number of security keys, and the
 * recovery codes they share. A user with either signs in in two steps; the codes live exactly as
 * long as some factor does.
 */
@ApplicationScoped
public class SecondFactors {
  public static final String TOTP = "totp";
  public static final String WEBAUTHN = "webauthn";
  public static final String RECOVERY = "recovery";

  /** What {@link #removeAll} says when the user had no factor. */
  public static final String NONE = "no factor was set";

  @Inject TotpFactors totp;
  @Inject SecurityKeys keys;
  @Inject RecoveryCodes recoveryCodes;

  /** Whether the user signs in with a second factor. */
  public boolean any(long userId) {
    return totp.active(userId) || keys.count(userId) > 0;
  }

  /** Which of these users have a second factor (two queries for a page of users). */
  public Set<Long> anyAmong(Collection<Long> userIds) {
    Set<Long> with = new HashSet<>(totp.activeAmong(userIds));
    with.addAll(keys.ownersAmong(userIds));
    return with;
  }

  /** The factors a pending sign-in of this user may be completed with; empty: none needed. */
  public List<String> methods(long userId) {
    List<String> methods = new ArrayList<>();
    if (totp.active(userId)) {
      methods.add(TOTP);
    }
    if (keys.count(userId) > 0) {
      methods.add(WEBAUTHN);
    }
    if (!methods.isEmpty()) {
      methods.add(RECOVERY);
    }
    return methods;
  }

  /** Uses a recovery code of a user who has a factor: true once per code. */
  public boolean useRecoveryCode(long userId, String presented) {
    return any(userId) && recoveryCodes.use(userId, presented);
  }

  /**
   * The recovery codes of a first factor: new ones when the user has none left unused, else none
   * (the codes they saved keep working for every factor).
   */
  @Transactional
  public List<String> codesForNewFactor(long userId) {
    return recoveryCodes.left(userId) > 0 ? List.of() : recoveryCodes.issue(userId);
  }

  /** Removes the TOTP factor; the recovery codes go with the last factor. */
  @Transactional
  public boolean removeTotp(long userId) {
    boolean had = totp.remove(userId);
    dropCodesIfNoFactor(userId);
    return had;
  }

  /** Removes one security key of the user; the recovery codes go with the last factor. */
  @Transactional
  public boolean removeKey(long userId, long keyId) {
    boolean had = keys.remove(userId, keyId);
    dropCodesIfNoFactor(userId);
    return had;
  }

  /** An admin's reset: every factor and code of the user goes. What there was, in words. */
  @Transactional
  public String removeAll(long userId) {
    boolean hadTotp = totp.remove(userId);
    long hadKeys = keys.removeAll(userId);
    recoveryCodes.removeAll(userId);
    List<String> removed = new ArrayList<>();
    if (hadTotp) {
      removed.add("TOTP factor");
    }
    if (hadKeys > 0) {
      removed.add(hadKeys + (hadKeys == 1 ? " security key" : " security keys"));
    }
    return removed.isEmpty() ? NONE : String.join(" and ", removed) + " removed";
  }

  private void dropCodesIfNoFactor(long userId) {
    if (!any(userId)) {
      recoveryCodes.removeAll(userId);
    }
  }
}
