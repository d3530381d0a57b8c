package io.tether.oidc;

import io.tether.boot.OidcProviderSettings;
import java.util.List;

/** A user's identities as the API shows them. */
final class Identities {
  private Identities() {}

  static List<SsoApi.IdentityView> of(OidcProviders providers, long userId) {
    return UserIdentity.<UserIdentity>list("userId = ?1 order by id", userId).stream()
        .map(
            i ->
                new SsoApi.IdentityView(
                    i.id,
                    i.provider,
                    providers
                        .find(i.provider)
                        .map(OidcProviderSettings::displayName)
                        .orElse(i.provider),
                    i.issuer,
                    i.subject,
                    i.createdAt,
                    i.lastLoginAt))
        .toList();
  }
}
