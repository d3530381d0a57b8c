package io.tether.access;

import io.tether.api.ApiException;
import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one answer to "may this principal do this action on a device of this group?". REST,
 * terminals, the CLI socket, link ports and ingress all ask it (through {@code device.DeviceAccess}
 * when they start from a device id), on every request and every channel open. Grants are read fresh
 * each time, so a removed grant takes effect at once.
 */
@ApplicationScoped
public class AccessPolicy {
  /** The problem type of a refusal for want of a second factor; the UI recognises it. */
  public static final String SECOND_FACTOR_REQUIRED = "urn:tether:problem:second-factor-required";

  /**
   * Days an API token made with a second factor keeps opening terminals and forwards on a group
   * that requires one, unless the group says otherwise: a token is a second factor presented once,
   * so its worth as one fades (issue 18 asks for 30).
   */
  public static final int DEFAULT_SECOND_FACTOR_TOKEN_DAYS = 30;

  /** The problem type of an API token's refusal for want of a fresh second factor. */
  public static final String MFA_REQUIRED = "urn:tether:problem:mfa-required";

  /** The longest a group may let such a token live: a year. */
  public static final int MAX_SECOND_FACTOR_TOKEN_DAYS = 365;

  private final Grants grants;
  private final boolean everyGroupRequiresSecondFactor;

  @Inject
  AccessPolicy(Grants grants, TetherConfig config) {
    this.grants = grants;
    this.everyGroupRequiresSecondFactor = config.auth().requireSecondFactor();
  }

  /** The principal's role per device group id (admins have every right without grants). */
  public Map<Long, Role> roles(Principal principal) {
    Map<Long, Role> roles = new HashMap<>();
    for (Grants.GroupGrant grant : grants.ofUser(principal.userId())) {
      Role.parse(grant.role()).ifPresent(r -> roles.put(grant.groupId(), r));
    }
    return roles;
  }

  public boolean may(Principal principal, Action action, long groupId) {
    if (principal.admin()) {
      return true;
    }
    Role role = roles(principal).get(groupId);
    return role != null && role.allows(action);
  }

  /**
   * Replaying recordings is a right of its own (they may hold what was typed): admins, and users
   * whose grant on the group says {@code replay}.
   */
  public boolean mayReplay(Principal principal, long groupId) {
    if (principal.admin()) {
      return true;
    }
    return grants.ofUser(principal.userId()).stream()
        .anyMatch(g -> g.replay() && g.groupId() == groupId);
  }

  /**
   * Throws unless the principal may do {@code action} on device {@code deviceId} of this group. A
   * device the principal may not even see answers 404, so its existence does not leak; one it sees
   * but may not act on, 403.
   */
  public void check(
      Principal principal, Action action, long deviceId, long groupId, String groupName) {
    if (principal.admin()) {
      return;
    }
    Optional<Role> role = Optional.ofNullable(roles(principal).get(groupId));
    if (role.isEmpty()) {
      throw notFound(deviceId);
    }
    if (!role.get().allows(action)) {
      throw ApiException.forbidden(
          "your role on group '"
              + groupName
              + "' is "
              + role.get().wireName()
              + ", which does not allow "
              + action.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Throws 403 {@link #SECOND_FACTOR_REQUIRED} when the group (or the deployment) requires a second
   * factor and the principal's credential was not established with one: a browser session signed in
   * with a password alone (even if the user enrolled since), an API token made from such a session,
   * an SSH key. An API token made with a second factor counts as one for {@code tokenDays} after it
   * was made. Asked on every open of a terminal, forward or data flow (and on every re-check of one
   * that is live), admins included.
   */
  public void checkSecondFactor(
      Principal principal, boolean groupRequires, int tokenDays, String groupName) {
    if (!lacksSecondFactor(principal, groupRequires)) {
      checkTokenAge(principal, groupRequires, tokenDays, groupName);
      return;
    }
    String how =
        switch (principal.via()) {
          case WEB_SESSION ->
              "enrol a second factor on your account page, then sign out and sign in again with"
                  + " it";
          case API_TOKEN ->
              "use an API token created from a browser session signed in with a second factor";
          case SSH_KEY ->
              "SSH keys do not carry a second factor: use the browser or tether connect";
        };
    throw ApiException.typed(
        403,
        SECOND_FACTOR_REQUIRED,
        "Second factor required",
        "group '" + groupName + "' requires a second factor: " + how);
  }

  /**
   * Refuses an API token whose second factor is older than the group allows. Its age counts from
   * when it was made, so the answer says how to get a fresh one.
   */
  private void checkTokenAge(
      Principal principal, boolean groupRequires, int tokenDays, String groupName) {
    boolean required = groupRequires || everyGroupRequiresSecondFactor;
    if (!required
        || principal.via() != Principal.Via.API_TOKEN
        || principal.issuedAt() == null
        || !principal.issuedAt().plus(Duration.ofDays(tokenDays)).isBefore(Instant.now())) {
      return;
    }
    long age = Duration.between(principal.issuedAt(), Instant.now()).toDays();
    throw ApiException.typed(
        403,
        SECOND_FACTOR_REQUIRED,
        "Second factor required",
        "group '"
            + groupName
            + "' accepts an API token's second factor for "
            + tokenDays
            + " days after the token was made, and this one was made "
            + age
            + " days ago: create a new token from a browser session signed in with a second"
            + " factor");
  }

  /**
   * Throws unless the principal's second factor was presented within the group's {@code
   * reauthMinutes} (null: the group does not ask again). Asked when a terminal, forward or device
   * page opens — never when a live one is re-checked: the rule is "before each session". A browser
   * is answered 403 {@link FreshSecondFactor#REQUIRED} (the page asks for a code and retries), an
   * API token 401 {@link #MFA_REQUIRED} (send a code in {@link FreshSecondFactor#HEADER}).
   */
  public void checkFreshFactor(Principal principal, Integer reauthMinutes, String groupName) {
    if (!asksAgain(principal, reauthMinutes)) {
      return;
    }
    String ask =
        "group '"
            + groupName
            + "' asks for your second factor again before each session (presented at most "
            + reauthMinutes
            + " minutes ago)";
    if (principal.via() == Principal.Via.API_TOKEN) {
      throw ApiException.typed(
          401,
          MFA_REQUIRED,
          "Second factor required",
          ask
              + ": send a current code of your authenticator app in "
              + FreshSecondFactor.HEADER
              + " with the forward check");
    }
    throw ApiException.typed(
        403,
        FreshSecondFactor.REQUIRED,
        "Fresh second factor required",
        ask + ": enter a current code of your authenticator app");
  }

  /** Whether a group asking again after {@code reauthMinutes} (null: never) would ask now. */
  public boolean asksAgain(Principal principal, Integer reauthMinutes) {
    return reauthMinutes != null
        && (principal.factorAt() == null
            || !principal
                .factorAt()
                .plus(Duration.ofMinutes(reauthMinutes))
                .isAfter(Instant.now()));
  }

  /** Whether a group that says {@code groupRequires} requires a second factor, here. */
  public boolean requiresSecondFactor(boolean groupRequires) {
    return groupRequires || everyGroupRequiresSecondFactor;
  }

  /** Whether a group (that says {@code groupRequires}) refuses this principal for want of one. */
  public boolean lacksSecondFactor(Principal principal, boolean groupRequires) {
    return !principal.mfa() && (groupRequires || everyGroupRequiresSecondFactor);
  }

  /** The answer for a device that does not exist or that the principal may not see. */
  public static ApiException notFound(long deviceId) {
    return ApiException.notFound("no device " + deviceId);
  }
}
