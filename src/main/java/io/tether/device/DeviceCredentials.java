package io.tether.device;

import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/** Device tokens: issue (revoking earlier ones), verify on tunnel connect, revoke. */
@ApplicationScoped
public class DeviceCredentials {
  @Inject TokenHasher hasher;

  /** Issues a new token for the device; every earlier token of it stops working. */
  @Transactional
  public String issue(Device device) {
    revokeAll(device);
    SecretToken token = SecretToken.generate(SecretToken.DEVICE);
    DeviceCredential credential = new DeviceCredential();
    credential.device = device;
    credential.lookupId = token.lookupId();
    credential.secretHash = hasher.hash(token.secret());
    credential.persist();
    return token.value();
  }

  @Transactional
  public void revokeAll(Device device) {
    DeviceCredential.update(
        "revokedAt = ?1 where device = ?2 and revokedAt is null", Instant.now(), device);
  }

  /** The live device a presented token belongs to, if the token is valid and not revoked. */
  @Transactional
  public Optional<Device> verify(String presented) {
    Optional<SecretToken> parsed = SecretToken.parse(presented, SecretToken.DEVICE);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    DeviceCredential credential =
        DeviceCredential.find("lookupId", parsed.get().lookupId()).firstResult();
    if (credential == null
        || credential.revokedAt != null
        || !hasher.matches(parsed.get().secret(), credential.secretHash)
        || credential.device.deletedAt != null) {
      return Optional.empty();
    }
    return Optional.of(credential.device);
  }
}
