package io.tether.ssh;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and answer bodies of the SSH key and SSH server endpoints. */
public final class SshKeyApi {
  private SshKeyApi() {}

  public record NewKey(
      @Schema(example = "laptop") @NotBlank @Size(max = 64) String name,
      @Schema(example = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… alice@laptop") @NotNull
          String publicKey) {}

  public record KeyView(
      long id,
      String name,
      String type,
      String fingerprint,
      Instant createdAt,
      Instant lastUsedAt) {
    static KeyView of(SshKey k) {
      return new KeyView(
          k.id,
          k.name,
          k.publicKey.substring(0, k.publicKey.indexOf(' ')),
          k.fingerprint,
          k.createdAt,
          k.lastUsedAt);
    }
  }

  /**
   * The SSH server as users need it: whether it runs, its port, and the host key to verify.
   *
   * @param port null when the SSH server is off
   */
  public record ServerView(
      boolean enabled, Integer port, String hostKeyType, String hostKeyFingerprint) {}
}
