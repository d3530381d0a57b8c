package io.tether.user;

import io.tether.api.ApiException;
import java.nio.charset.StandardCharsets;

/** Password rules, checked wherever a password is set. */
public final class Passwords {
  /** Shorter passwords fall to offline guessing of a leaked hash too quickly. */
  static final int MIN_CHARS = 8;

  /** bcrypt ignores everything past 72 bytes; refuse rather than silently truncate. */
  static final int MAX_BYTES = 72;

  private Passwords() {}

  public static void check(String field, String password) {
    if (password == null || password.length() < MIN_CHARS) {
      throw ApiException.badRequest(
          field, field + " must have at least " + MIN_CHARS + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw ApiException.badRequest(field, field + " must be at most " + MAX_BYTES + " bytes");
    }
  }
}
