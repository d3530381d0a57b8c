package io.tether.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.mfa.RelyingParty;
import io.tether.mfa.SecurityKeys;
import io.tether.mfa.WebAuthnCeremony;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Bodies of the security key endpoints. The options are WebAuthn's
 * PublicKeyCredentialCreationOptions and PublicKeyCredentialRequestOptions in their JSON form
 * (binary values base64url), as {@code PublicKeyCredential.parseCreationOptionsFromJSON} takes
 * them.
 */
public final class SecurityKeyApi {
  /** How long the browser waits for the key; the challenge lives a little longer. */
  static final long TIMEOUT_MILLIS = 120_000;

  private SecurityKeyApi() {}

  public record RelyingPartyEntity(String id, String name) {}

  public record UserEntity(String id, String name, String displayName) {}

  public record CredentialParameter(String type, long alg) {}

  public record CredentialDescriptor(String type, String id, List<String> transports) {}

  public record AuthenticatorSelection(String residentKey, String userVerification) {}

  public record CreationOptions(
      String challenge,
      RelyingPartyEntity rp,
      UserEntity user,
      List<CredentialParameter> pubKeyCredParams,
      long timeout,
      String attestation,
      List<CredentialDescriptor> excludeCredentials,
      AuthenticatorSelection authenticatorSelection) {
    static CreationOptions of(
        SecurityKeys.Challenge c, RelyingParty rp, long userId, String username) {
      return new CreationOptions(
          c.challenge(),
          new RelyingPartyEntity(rp.id(), RelyingParty.NAME),
          new UserEntity(encode(SecurityKeys.userHandle(userId)), username, username),
          WebAuthnCeremony.ALGORITHMS.stream()
              .map(alg -> new CredentialParameter("public-key", alg))
              .toList(),
          TIMEOUT_MILLIS,
          "none",
          descriptors(c),
          // a passkey may keep the account (discoverable) but need not: it is a second factor here
          new AuthenticatorSelection("preferred", "preferred"));
    }
  }

  public record RequestOptions(
      String challenge,
      String rpId,
      long timeout,
      List<CredentialDescriptor> allowCredentials,
      String userVerification) {
    static RequestOptions of(SecurityKeys.Challenge c, RelyingParty rp) {
      return new RequestOptions(
          c.challenge(), rp.id(), TIMEOUT_MILLIS, descriptors(c), "preferred");
    }
  }

  /** The second step's request for a key challenge. */
  public record OptionsRequest(@NotBlank @Size(max = 128) String pendingToken) {}

  /**
   * A registration's answer: a name for the key and the browser's PublicKeyCredential as JSON
   * ({@code credential.toJSON()}).
   */
  public record Registration(
      @Schema(example = "YubiKey on the keyring")
          @NotBlank
          @Size(max = SecurityKeys.NAME_LENGTH)
          @Pattern(regexp = Usernames.WITHOUT_CONTROL_CHARACTERS, message = Usernames.CONTROL_RULE)
          String name,
      @NotNull JsonNode credential) {}

  public record Rename(
      @NotBlank
          @Size(max = SecurityKeys.NAME_LENGTH)
          @Pattern(regexp = Usernames.WITHOUT_CONTROL_CHARACTERS, message = Usernames.CONTROL_RULE)
          String name) {}

  public record KeyView(long id, String name, Instant createdAt, Instant lastUsedAt) {
    static KeyView of(SecurityKeys.KeyInfo k) {
      return new KeyView(k.id(), k.name(), k.createdAt(), k.lastUsedAt());
    }
  }

  /**
   * @param recoveryCodes shown only here, when this key is the account's first second factor; empty
   *     when the user has recovery codes already
   */
  public record Registered(KeyView key, List<String> recoveryCodes) {}

  private static List<CredentialDescriptor> descriptors(SecurityKeys.Challenge c) {
    return c.credentials().stream()
        .map(d -> new CredentialDescriptor("public-key", encode(d.credentialId()), d.transports()))
        .toList();
  }

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
