package io.tether.oidc;

import io.tether.boot.OidcProviderSettings;
import io.tether.user.TokenLifetimeCap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/** API tokens of a user bound to providers live no longer than the shortest of their lifetimes. */
@ApplicationScoped
public class SsoTokenLifetime implements TokenLifetimeCap {
  @Inject OidcProviders providers;

  @Override
  public Optional<Duration> of(long userId) {
    return UserIdentity.<UserIdentity>list("userId", userId).stream()
        .map(i -> providers.find(i.provider).map(OidcProviderSettings::tokenLifetime))
        .flatMap(Optional::stream)
        .min(Duration::compareTo);
  }
}
