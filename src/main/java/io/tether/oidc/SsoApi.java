package io.tether.oidc;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the single sign-on endpoints. */
public final class SsoApi {
  private SsoApi() {}

  /** A provider as the sign-in page offers it. */
  public record ProviderView(String name, String displayName, String loginUrl) {}

  /**
   * @param passwordLogin whether this deployment signs in with passwords (break-glass admins always
   *     may)
   */
  public record Providers(List<ProviderView> items, boolean passwordLogin) {}

  /** An identity bound to an account. */
  public record IdentityView(
      long id,
      String provider,
      String displayName,
      String issuer,
      String subject,
      Instant createdAt,
      Instant lastLoginAt) {}

  /** Linking an identity to one's own account: the password, and a code when one has a factor. */
  public record LinkRequest(
      @Schema(example = "corp") @NotBlank @Size(max = 32) String provider,
      @NotBlank @Size(max = 256) String password,
      @Size(max = 16) String code,
      @Size(max = 64) String recoveryCode) {}

  /** Where the browser goes next to link: the provider's authorization URL. */
  public record LinkStart(String authorizeUrl) {}

  /** An invitation, shown once: the link to open, and when it ends. */
  public record Invitation(String url, Instant expiresAt) {}
}
