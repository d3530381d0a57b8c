package io.tether.access;

import java.time.Instant;

/**
 * How long the credential behind a live socket lasts, read now.
 *
 * @param endsAt when it ends if nothing more happens (a browser session's idle or absolute end, a
 *     token's expiry); null: never by itself (a token without expiry ends only when revoked)
 * @param absoluteEnd the end no activity can move (what a terminal warns about); null for tokens
 *     without expiry
 */
public record CredentialLifetime(boolean valid, Instant endsAt, Instant absoluteEnd) {
  public static final CredentialLifetime ENDED = new CredentialLifetime(false, null, null);
}
