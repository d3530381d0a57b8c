package io.tether.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the command line's browser sign-in. */
public final class CliLoginApi {
  private CliLoginApi() {}

  /**
   * @param challenge the CLI's PKCE S256 challenge
   * @param name the API token's name (cli@HOST)
   * @param ttlDays the token's lifetime in days (default 30, at most 365; shortened by single
   *     sign-on's token lifetime)
   */
  public record Authorize(
      @Schema(example = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") @NotBlank @Size(max = 64)
          String challenge,
      @Schema(example = "cli@build-host")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = Usernames.WITHOUT_CONTROL_CHARACTERS, message = Usernames.CONTROL_RULE)
          String name,
      @Schema(example = "30") Integer ttlDays) {}

  /** The single-use exchange code, for the CLI (its loopback listener, or pasted). */
  public record Code(String code, Instant expiresAt) {}

  /** The code and the PKCE verifier whose challenge the browser allowed. */
  public record Exchange(
      @NotBlank @Size(max = 128) String code,
      @Schema(example = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
          @NotBlank
          @Size(min = 43, max = 128)
          String verifier) {}

  /** The new API token: its value is shown only here. */
  public record Exchanged(
      long id, String name, String token, String username, Instant expiresAt, boolean mfa) {}
}
