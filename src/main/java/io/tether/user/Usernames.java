package io.tether.user;

import io.tether.api.ApiException;

/**
 * The rule every username keeps wherever one arrives: no control characters. A CR, LF, tab or NUL
 * in a name would forge lines in logs and slip a formula past the CSV export's check, so no account
 * may have one, and a login naming one is refused before it is looked up or audited.
 */
final class Usernames {
  /** For {@code @Pattern}: any characters but control characters (Unicode category Cc). */
  static final String WITHOUT_CONTROL_CHARACTERS = "\\P{Cc}*";

  static final String CONTROL_RULE = "must not contain control characters";

  private Usernames() {}

  /** 400 naming {@code username} when it holds a control character. */
  static void check(String username) {
    if (username != null && !username.matches(WITHOUT_CONTROL_CHARACTERS)) {
      throw ApiException.badRequest("username", "username " + CONTROL_RULE);
    }
  }
}
