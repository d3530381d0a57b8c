package io.tether.ssh;

import io.tether.access.CredentialLifetime;
import io.tether.access.CredentialStore;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.user.UserAccount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users' SSH public keys: add, list and delete, and the credential store the SSH server signs in
 * with (a key's fingerprint names its user; the server has checked the signature).
 */
@ApplicationScoped
public class SshKeyService implements CredentialStore.SshKeys {
  /** The keys one user may hold: a few laptops and tokens; bounds what a script can store. */
  static final int MAX_KEYS_PER_USER = 50;

  /** last_used_at is informational; one write a minute per key is plenty. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofSeconds(60);

  @Transactional
  public SshKey add(long userId, String name, String publicKey) {
    PublicKeys.Parsed parsed;
    try {
      parsed = PublicKeys.parse(publicKey);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("publicKey", e.getMessage());
    }
    if (SshKey.count("fingerprint", parsed.fingerprint()) > 0) {
      // by anyone: a key names one user, and whose it is stays unsaid
      throw ApiException.conflict("publicKey", "this key is already registered");
    }
    if (SshKey.count("userId", userId) >= MAX_KEYS_PER_USER) {
      throw ApiException.conflict(
          "publicKey",
          "you have " + MAX_KEYS_PER_USER + " keys, the most one user may: delete one");
    }
    SshKey key = new SshKey();
    key.userId = userId;
    key.name = name.strip();
    key.publicKey = parsed.line();
    key.fingerprint = parsed.fingerprint();
    key.persist();
    return key;
  }

  public List<SshKey> list(long userId) {
    return SshKey.list("userId = ?1 order by id", userId);
  }

  /** Deletes one of the user's keys; someone else's key answers 404. */
  @Transactional
  public SshKey delete(long userId, long keyId) {
    SshKey key = SshKey.findById(keyId);
    if (key == null || !key.userId.equals(userId)) {
      throw ApiException.notFound("no SSH key " + keyId);
    }
    key.delete();
    return key;
  }

  /** The principal whose key has this fingerprint, if its user may sign in; marks the key used. */
  @Transactional
  @Override
  public Optional<Principal> verify(String fingerprint) {
    SshKey key = SshKey.find("fingerprint", fingerprint).firstResult();
    if (key == null) {
      return Optional.empty();
    }
    Optional<Principal> principal = principalOf(key);
    Instant now = Instant.now();
    if (principal.isPresent()
        && (key.lastUsedAt == null || key.lastUsedAt.plus(LAST_USED_RESOLUTION).isBefore(now))) {
      key.lastUsedAt = now;
    }
    return principal;
  }

  @Transactional
  @Override
  public Optional<Principal> current(long keyId) {
    SshKey key = SshKey.findById(keyId);
    return key == null ? Optional.empty() : principalOf(key);
  }

  /** A key never expires: it ends when deleted or its user is disabled (both are events). */
  @Transactional
  @Override
  public CredentialLifetime lifetime(long keyId) {
    return current(keyId).isPresent()
        ? new CredentialLifetime(true, null, null)
        : CredentialLifetime.ENDED;
  }

  private static Optional<Principal> principalOf(SshKey key) {
    UserAccount user = UserAccount.findById(key.userId);
    if (user == null || user.disabled) {
      return Optional.empty();
    }
    return Optional.of(
        new Principal(user.id, user.username, user.admin, Principal.Via.SSH_KEY, key.id, null));
  }
}
