package io.tether.oidc;

import java.util.function.Predicate;

/**
 * The name of an account made at its first single sign-on: the provider's claim cut to the
 * characters usernames use, suffixed {@code -2}, {@code -3}… while taken. Never the name of an
 * existing account: a provisioned identity is never joined to one.
 */
final class UsernameChoice {
  /** Room for a suffix within the 64 characters of a username. */
  static final int MAX_BASE = 56;

  static final String FALLBACK = "user";

  private UsernameChoice() {}

  /** The first free name for {@code claim}; {@code taken} answers case-insensitively. */
  static String free(String claim, Predicate<String> taken) {
    String base = base(claim);
    if (!taken.test(base)) {
      return base;
    }
    for (int n = 2; ; n++) {
      String candidate = base + "-" + n;
      if (!taken.test(candidate)) {
        return candidate;
      }
    }
  }

  /** The claim with characters outside {@code [A-Za-z0-9_.@-]} made {@code -}, at most 56. */
  static String base(String claim) {
    if (claim == null) {
      return FALLBACK;
    }
    String cleaned = claim.strip().replaceAll("[^A-Za-z0-9_.@-]+", "-").replaceAll("^-+|-+$", "");
    if (cleaned.length() > MAX_BASE) {
      cleaned = cleaned.substring(0, MAX_BASE);
    }
    return cleaned.isEmpty() ? FALLBACK : cleaned;
  }
}
