package io.tether.mfa;

import io.tether.access.TokenHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A user's recovery codes, shared by all their second factors: issued with the first factor (or
 * anew at a TOTP confirmation), each used once, gone with the last factor. Stored as keyed hashes.
 */
@ApplicationScoped
public class RecoveryCodes {
  /** Codes issued at once; a new issue replaces them all. */
  public static final int COUNT = 10;

  /** Bytes of randomness per recovery code: 10 base32 characters, 50 bits. */
  static final int RECOVERY_BYTES = 7;

  /** Recovery codes are hashed with this prefix, so no other kind of token hash can match one. */
  private static final String RECOVERY_DOMAIN = "recovery:";

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject TokenHasher hasher;

  /** New codes replacing any the user had; answered once, never stored in the clear. */
  @Transactional
  public List<String> issue(long userId) {
    RecoveryCode.delete("userId", userId);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      byte[] bytes = new byte[RECOVERY_BYTES];
      RANDOM.nextBytes(bytes);
      String raw = Base32.encode(bytes).substring(0, 10).toLowerCase(Locale.ROOT);
      RecoveryCode c = new RecoveryCode();
      c.userId = userId;
      c.codeHash = hasher.hash(RECOVERY_DOMAIN + raw);
      c.persist();
      codes.add(raw.substring(0, 5) + "-" + raw.substring(5));
    }
    return codes;
  }

  /** Uses a code of the user: true once per code (hyphens, spaces and case ignored). */
  @Transactional
  public boolean use(long userId, String presented) {
    if (presented == null || presented.length() > 64) {
      return false;
    }
    String raw = presented.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    return RecoveryCode.update(
            "usedAt = ?1 where userId = ?2 and codeHash = ?3 and usedAt is null",
            Instant.now(),
            userId,
            hasher.hash(RECOVERY_DOMAIN + raw))
        == 1;
  }

  public int left(long userId) {
    return (int) RecoveryCode.count("userId = ?1 and usedAt is null", userId);
  }

  @Transactional
  public void removeAll(long userId) {
    RecoveryCode.delete("userId", userId);
  }
}
