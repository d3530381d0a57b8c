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

  /**
   * The answer to a right password of a user with a second factor: no session yet, a pending token
   * for {@code POST /api/auth/login/second-factor}.
   */
  public record SecondFactorAnswer(
      String secondFactor, String pendingToken, List<String> methods) {}

  /**
   * The second step of a sign-in: the pending token and one of a TOTP code, a recovery code, or a
   * security key's answer (the browser's PublicKeyCredential as JSON) to the challenge of {@code
   * POST /api/auth/login/second-factor/webauthn/options}.
   */
  public record SecondFactorRequest(
      @NotBlank @Size(max = 128) String pendingToken,
      @Schema(example = "123456") @Size(max = 16) String code,
      @Schema(example = "abcde-fghij") @Size(max = 64) String recoveryCode,
      com.fasterxml.jackson.databind.JsonNode webauthn) {}

  public record TotpEnrolment(String secret, String otpauthUri) {}

  public record TotpConfirm(@Schema(example = "123456") @NotBlank @Size(max = 16) String code) {}

  public record RecoveryCodes(List<String> recoveryCodes) {}

  /** Removing one's own factor: the password and a code of the factor (or a recovery code). */
  public record TotpRemoval(
      @NotBlank @Size(max = 256) String password,
      @Size(max = 16) String code,
      @Size(max = 64) String recoveryCode) {}

  /**
   * @param active the factor signs in
   * @param pending enrolment started, not confirmed yet
   * @param recoveryCodesLeft unused recovery codes
   * @param sessionMfa whether the caller's own credential was established with a second factor
   */
  public record TotpStatus(
      boolean active, boolean pending, int recoveryCodesLeft, boolean sessionMfa) {}

  public record GrantView(String group, String role) {}

  /**
   * @param mfa whether the caller's credential was established with a second factor
   * @param secondFactorRequired the groups the caller may reach whose terminals, forwards and data
   *     flows refuse this credential for want of a second factor
   * @param freshSecondFactor the groups the caller may reach that ask for the second factor again
   *     before each session and would ask now (the page asks for a code before opening)
   * @param secondFactorMethods what the caller can present it with again: {@code totp}, {@code
   *     webauthn}
   */
  public record MeAnswer(
      long id,
      String username,
      boolean admin,
      String csrfToken,
      List<GrantView> grants,
      boolean mfa,
      List<String> secondFactorRequired,
      List<String> freshSecondFactor,
      List<String> secondFactorMethods) {}

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
