package io.tether.oidc;

import io.tether.boot.OidcProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * The configured providers ({@code TETHER_OIDC_*}, checked at boot) and what is learnt from each:
 * its discovery document and its keys, fetched on first use and kept a while. A provider that is
 * down only fails its own sign-ins; passwords still work.
 */
@ApplicationScoped
public class OidcProviders {
  /** Discovery rarely changes; an hour bounds how long a moved endpoint goes unnoticed. */
  static final Duration METADATA_TTL = Duration.ofHours(1);

  /** Keys roll over; an unknown key id fetches them again, at most this often. */
  static final Duration JWKS_REFETCH = Duration.ofSeconds(30);

  private final List<OidcProviderSettings> settings;
  private final ProviderClient client = new ProviderClient();
  private final Map<String, Learnt> learnt = new ConcurrentHashMap<>();

  private record Learnt(
      ProviderClient.Metadata metadata, Instant at, JsonWebKeySet keys, Instant keysAt) {}

  public OidcProviders() {
    this(OidcProviderSettings.fromEnvironment(System.getenv()));
  }

  OidcProviders(List<OidcProviderSettings> settings) {
    this.settings = settings;
  }

  public List<OidcProviderSettings> all() {
    return settings;
  }

  public Optional<OidcProviderSettings> find(String name) {
    return settings.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  ProviderClient client() {
    return client;
  }

  /**
   * The provider's discovery document, fetched when unknown or older than {@link #METADATA_TTL}.
   */
  ProviderClient.Metadata metadata(OidcProviderSettings provider) {
    Learnt l = learnt.get(provider.name());
    if (l != null && l.at().plus(METADATA_TTL).isAfter(Instant.now())) {
      return l.metadata();
    }
    ProviderClient.Metadata metadata = client.discover(provider.issuer());
    learnt.put(provider.name(), new Learnt(metadata, Instant.now(), null, null));
    return metadata;
  }

  /** The provider's keys, fetched again when the token names a key id they lack. */
  JsonWebKeySet keys(OidcProviderSettings provider, String idToken) {
    ProviderClient.Metadata metadata = metadata(provider);
    Learnt l = learnt.get(provider.name());
    String kid = keyId(idToken);
    boolean stale =
        l == null
            || l.keys() == null
            || (kid != null
                && !hasKey(l.keys(), kid)
                && l.keysAt().plus(JWKS_REFETCH).isBefore(Instant.now()));
    if (!stale) {
      return l.keys();
    }
    JsonWebKeySet keys;
    try {
      keys = new JsonWebKeySet(client.jwks(metadata.jwksUri()));
    } catch (JoseException e) {
      throw new SsoRefusal(SsoRefusal.PROVIDER, "the provider's JWKS is not a key set");
    }
    learnt.put(
        provider.name(),
        new Learnt(metadata, l == null ? Instant.now() : l.at(), keys, Instant.now()));
    return keys;
  }

  private static String keyId(String idToken) {
    try {
      return JsonWebStructure.fromCompactSerialization(idToken).getKeyIdHeaderValue();
    } catch (JoseException e) {
      throw new SsoRefusal(SsoRefusal.TOKEN, "ID token is not a JWS");
    }
  }

  private static boolean hasKey(JsonWebKeySet keys, String kid) {
    return keys.getJsonWebKeys().stream().map(JsonWebKey::getKeyId).anyMatch(kid::equals);
  }
}
