package io.tether.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the user, grant and token endpoints. */
public final class UserApi {
  private UserApi() {}

  public record NewUser(
      @Schema(example = "alice")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = "[A-Za-z0-9_.@-]+", message = "may use letters, digits and _ . @ -")
          String username,
      @Schema(example = "correct horse battery") @NotNull String password,
      @Schema(example = "false") Boolean admin) {}

  /**
   * @param passwordLogin whether the user may sign in with a password
   * @param breakGlass an admin who signs in with a password even when password sign-in is off
   */
  public record UserPatch(
      Boolean disabled, Boolean admin, Boolean passwordLogin, Boolean breakGlass) {}

  public record PasswordReset(@NotNull String password) {}

  /**
   * @param secondFactor whether the user signs in with an active second factor
   * @param securityKeys how many security keys and passkeys the user has registered
   */
  public record UserView(
      long id,
      String username,
      boolean admin,
      boolean disabled,
      Instant createdAt,
      boolean secondFactor,
      boolean passwordLogin,
      boolean breakGlass,
      String adminSource,
      long securityKeys) {
    static UserView of(
        UserAccount u, Set<Long> withSecondFactor, java.util.Map<Long, Long> keyCounts) {
      return new UserView(
          u.id,
          u.username,
          u.admin,
          u.disabled,
          u.createdAt,
          withSecondFactor.contains(u.id),
          u.passwordLogin,
          u.breakGlass,
          u.adminSource,
          keyCounts.getOrDefault(u.id, 0L));
    }
  }

  public record NewGrant(
      @Schema(example = "default") @NotBlank String group,
      @Schema(
              example = "operator",
              enumeration = {"viewer", "operator"})
          @NotBlank
          String role,
      @Schema(description = "may replay and export the group's session recordings")
          Boolean replay) {}

  /**
   * @param source null for a grant an admin made, {@code oidc:<provider>} for one from that
   *     provider's groups claim
   */
  public record GrantView(
      long id, long userId, String group, String role, boolean replay, String source) {
    static GrantView of(Grant g) {
      return new GrantView(g.id, g.userId, g.group.name, g.role, g.replay, g.source);
    }
  }

  public record NewToken(
      @Schema(example = "ci-pipeline") @NotBlank @Size(max = 64) String name,
      @Schema(example = "2027-01-01T00:00:00Z") Instant expiresAt) {}

  /**
   * @param mfa whether the token was created from a sign-in with a second factor: only such tokens
   *     open terminals and forwards on groups that require one
   */
  public record TokenView(
      long id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt, boolean mfa) {
    static TokenView of(ApiToken t) {
      return new TokenView(t.id, t.name, t.createdAt, t.expiresAt, t.lastUsedAt, t.mfa);
    }
  }

  public record IssuedToken(
      long id, String name, String token, Instant createdAt, Instant expiresAt, boolean mfa) {}
}
