package io.tether.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the auth and me endpoints. */
public final class AuthApi {
  private AuthApi() {}

  public record LoginRequest(
      @Schema(example = "admin")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = Usernames.WITHOUT_CONTROL_CHARACTERS, message = Usernames.CONTROL_RULE)
          String username,
      @Schema(example = "correct horse battery") @NotBlank @Size(max = 256) String password) {}

  public record LoginAnswer(String username, boolean admin, String csrfToken, Instant expiresAt) {}

  public record GrantView(String group, String role) {}

  public record MeAnswer(
      long id, String username, boolean admin, String csrfToken, List<GrantView> grants) {}

  /**
   * @param revokeTokens whether the caller's API tokens end too (default true: a password change is
   *     often account recovery)
   */
  public record PasswordChange(
      @NotBlank String currentPassword, @NotBlank String newPassword, Boolean revokeTokens) {
    public boolean revokesTokens() {
      return revokeTokens == null || revokeTokens;
    }
  }
}
