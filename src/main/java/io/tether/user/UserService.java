package io.tether.user;

import io.tether.access.AccessChanged;
import io.tether.access.Principal;
import io.tether.access.Role;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.DeviceGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** Admin management of users and their grants. */
@ApplicationScoped
public class UserService {
  @Inject PasswordHasher hasher;
  @Inject WebSessionService sessions;
  @Inject ApiTokenService tokens;
  @Inject AuditLog audit;
  @Inject Event<AccessChanged> accessChanged;

  @Transactional
  public UserAccount create(Principal admin, String address, UserApi.NewUser body) {
    Usernames.check(body.username()); // also for callers that skip the API's validation
    Passwords.check("password", body.password());
    if (UserAccount.findByUsername(body.username()).isPresent()) {
      throw ApiException.conflict("username", "a user named '" + body.username() + "' exists");
    }
    UserAccount user = new UserAccount();
    user.username = body.username();
    user.passwordHash = hasher.hash(body.password());
    user.admin = Boolean.TRUE.equals(body.admin());
    user.persist();
    UserAccount.flush();
    audit.record(
        Audit.by(admin, address)
            .action("user.create")
            .subject(user.username)
            .detail(user.admin ? "admin" : null));
    return user;
  }

  public Page<UserAccount> list(PageRequest page) {
    List<UserAccount> rows =
        UserAccount.find("id > ?1 order by id", page.after() == null ? 0L : page.after())
            .page(0, page.limit() + 1)
            .list();
    return page.page(rows, u -> u.id);
  }

  public UserAccount get(long id) {
    UserAccount user = UserAccount.findById(id);
    if (user == null) {
      throw ApiException.notFound("no user " + id);
    }
    return user;
  }

  @Transactional
  public UserAccount update(Principal admin, String address, long id, UserApi.UserPatch patch) {
    UserAccount user = get(id);
    if (patch.disabled() != null && patch.disabled() != user.disabled) {
      if (patch.disabled() && user.id == admin.userId()) {
        throw ApiException.badRequest("disabled", "you cannot disable yourself");
      }
      user.disabled = patch.disabled();
      if (user.disabled) {
        sessions.revokeAll(user.id, null);
        revokeTokens(admin, address, user, "user disabled");
        accessChanged.fire(
            AccessChanged.user(AccessChanged.Kind.USER_DISABLED, user.id, "user disabled"));
      }
    }
    if (patch.admin() != null && patch.admin() != user.admin) {
      if (!patch.admin() && user.id == admin.userId()) {
        throw ApiException.badRequest("admin", "you cannot remove your own admin flag");
      }
      user.admin = patch.admin();
      user.adminSource = null; // an admin's decision, no longer the provider's
      if (!user.admin) {
        accessChanged.fire(
            AccessChanged.user(AccessChanged.Kind.ADMIN_REMOVED, user.id, "admin flag removed"));
      }
    }
    if (patch.passwordLogin() != null) {
      user.passwordLogin = patch.passwordLogin();
    }
    if (patch.breakGlass() != null) {
      user.breakGlass = patch.breakGlass();
    }
    audit.record(
        Audit.by(admin, address)
            .action("user.update")
            .subject(user.username)
            .detail(
                "disabled="
                    + user.disabled
                    + " admin="
                    + user.admin
                    + " passwordLogin="
                    + user.passwordLogin
                    + " breakGlass="
                    + user.breakGlass));
    return user;
  }

  @Transactional
  public void delete(Principal admin, String address, long id) {
    UserAccount user = get(id);
    if (user.id == admin.userId()) {
      throw ApiException.badRequest(null, "you cannot delete yourself");
    }
    String name = user.username;
    user.delete();
    accessChanged.fire(AccessChanged.user(AccessChanged.Kind.USER_DELETED, id, "user deleted"));
    audit.record(Audit.by(admin, address).action("user.delete").subject(name));
  }

  @Transactional
  public void resetPassword(Principal admin, String address, long id, String password) {
    Passwords.check("password", password);
    UserAccount user = get(id);
    user.passwordHash = hasher.hash(password);
    user.passwordChangedAt = Instant.now();
    sessions.revokeAll(user.id, null);
    revokeTokens(admin, address, user, "password reset by an admin");
    accessChanged.fire(
        AccessChanged.user(AccessChanged.Kind.SESSIONS_REVOKED, user.id, "password reset"));
    audit.record(
        Audit.by(admin, address)
            .action("user.password")
            .subject(user.username)
            .detail("reset by admin"));
  }

  /** A user's live API tokens, for an admin. */
  public List<ApiToken> tokens(long userId) {
    get(userId);
    return tokens.list(userId);
  }

  /** An admin revokes one of a user's API tokens. */
  @Transactional
  public ApiToken revokeToken(Principal admin, String address, long userId, long tokenId) {
    UserAccount user = get(userId);
    ApiToken token = tokens.revoke(userId, tokenId);
    accessChanged.fire(
        AccessChanged.user(AccessChanged.Kind.TOKEN_REVOKED, userId, "API token revoked"));
    audit.record(
        Audit.by(admin, address)
            .action("token.revoke")
            .subject(user.username)
            .detail("token " + tokenId + " (" + token.name + ") revoked by an admin"));
    return token;
  }

  /**
   * Account recovery ends every API token of the user for good: re-enabling the account or a new
   * password does not bring them back.
   */
  private void revokeTokens(Principal admin, String address, UserAccount user, String reason) {
    int revoked = tokens.revokeAll(user.id);
    if (revoked > 0) {
      accessChanged.fire(AccessChanged.user(AccessChanged.Kind.TOKEN_REVOKED, user.id, reason));
      audit.record(
          Audit.by(admin, address)
              .action("token.revoke")
              .subject(user.username)
              .detail(revoked + " API token(s) revoked: " + reason));
    }
  }

  public List<Grant> grants(long userId) {
    get(userId);
    return Grant.ofUser(userId);
  }

  @Transactional
  public Grant grant(Principal admin, String address, long userId, UserApi.NewGrant body) {
    UserAccount user = get(userId);
    Role role =
        Role.parse(body.role())
            .orElseThrow(() -> ApiException.badRequest("role", "role must be viewer or operator"));
    DeviceGroup group =
        DeviceGroup.<DeviceGroup>find("name", body.group())
            .firstResultOptional()
            .orElseThrow(
                () -> ApiException.badRequest("group", "no group named '" + body.group() + "'"));
    if (Grant.count("userId = ?1 and group = ?2", userId, group) > 0) {
      throw ApiException.conflict("group", user.username + " already has a grant on " + group.name);
    }
    Grant grant = new Grant();
    grant.userId = userId;
    grant.group = group;
    grant.role = role.wireName();
    grant.replay = Boolean.TRUE.equals(body.replay());
    grant.persist();
    audit.record(
        Audit.by(admin, address)
            .action("grant.create")
            .subject(user.username)
            .detail(role.wireName() + " on " + group.name));
    return grant;
  }

  @Transactional
  public void revokeGrant(Principal admin, String address, long userId, long grantId) {
    UserAccount user = get(userId);
    Grant grant = Grant.findById(grantId);
    if (grant == null || !grant.userId.equals(userId)) {
      throw ApiException.notFound("no grant " + grantId + " for user " + userId);
    }
    String detail = grant.role + " on " + grant.group.name;
    grant.delete();
    accessChanged.fire(
        AccessChanged.user(AccessChanged.Kind.GRANT_REMOVED, userId, "grant removed: " + detail));
    audit.record(
        Audit.by(admin, address).action("grant.delete").subject(user.username).detail(detail));
  }
}
