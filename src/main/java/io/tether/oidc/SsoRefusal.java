package io.tether.oidc;

/**
 * Why a single sign-on attempt was refused: {@code reason} is the code the sign-in page explains
 * ({@code /sign-in?sso=REASON}), {@code detail} the audit entry's words. Never carries a token.
 */
final class SsoRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The state is unknown, used, expired or from another browser: start again. */
  static final String STATE = "expired";

  /** The provider's ID token failed a check (issuer, audience, signature, expiry, nonce). */
  static final String TOKEN = "refused";

  /** The provider could not be reached or answered with an error. */
  static final String PROVIDER = "provider";

  /** No account is bound to the identity and none may be made for it. */
  static final String UNBOUND = "unbound";

  /** The account is disabled. */
  static final String DISABLED = "disabled";

  /** An invitation link that is unknown, used or expired. */
  static final String INVITATION = "invitation";

  /** The identity to link is already bound to another account. */
  static final String LINKED_ELSEWHERE = "linked-elsewhere";

  private final String reason;

  SsoRefusal(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
