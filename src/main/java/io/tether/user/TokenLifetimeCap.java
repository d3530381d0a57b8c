package io.tether.user;

import java.time.Duration;
import java.util.Optional;

/**
 * The longest an API token of a user may live when something besides its maker limits it: single
 * sign-on caps the tokens of users bound to a provider at that provider's token lifetime, so that
 * leaving the organisation's directory ends the machine path too. Implemented where that is known.
 */
public interface TokenLifetimeCap {
  /** The cap for {@code userId}; empty when nothing limits their tokens. */
  Optional<Duration> of(long userId);
}
