package io.tether.user;

import io.tether.access.CredentialLifetime;
import io.tether.access.CredentialStore;
import io.tether.access.Principal;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens for integrations: issue once, verify per request, list and revoke. */
@ApplicationScoped
public class ApiTokenService implements CredentialStore.ApiTokens {
  /** last_used_at is informational; one write a minute per token is plenty. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofSeconds(60);

  @Inject TokenHasher hasher;
  @Inject jakarta.enterprise.inject.Instance<TokenLifetimeCap> caps;

  /** A freshly issued token: the secret value is returned only here. */
  public record Issued(ApiToken token, String value) {}

  /**
   * Issues a token for {@code creator}. A token made with a token lives no longer than its maker:
   * without {@code expiresAt} it inherits the maker's expiry, and a later one is refused.
   */
  @Transactional
  public Issued create(Principal creator, String name, Instant expiresAt) {
    long userId = creator.userId();
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      throw ApiException.badRequest("expiresAt", "expiresAt must be in the future");
    }
    if (creator.via() == Principal.Via.API_TOKEN) {
      ApiToken maker = ApiToken.findById(creator.credentialId());
      Instant limit = maker == null ? Instant.now() : maker.expiresAt;
      if (limit != null && expiresAt == null) {
        expiresAt = limit;
      } else if (limit != null && expiresAt.isAfter(limit)) {
        throw ApiException.badRequest(
            "expiresAt",
            "a token cannot outlive the token that creates it: expiresAt must be no later than "
                + limit);
      }
    }
    for (TokenLifetimeCap cap : caps) {
      Optional<java.time.Duration> longest = cap.of(userId);
      if (longest.isPresent()) {
        Instant limit = Instant.now().plus(longest.get());
        expiresAt = expiresAt == null || expiresAt.isAfter(limit) ? limit : expiresAt;
      }
    }
    SecretToken secret = SecretToken.generate(SecretToken.API);
    ApiToken token = new ApiToken();
    token.userId = userId;
    token.name = name;
    token.lookupId = secret.lookupId();
    token.secretHash = hasher.hash(secret.secret());
    token.expiresAt = expiresAt;
    // a token vouches for a second factor only if the credential that made it did
    token.mfa = creator.mfa();
    token.persist();
    return new Issued(token, secret.value());
  }

  @Transactional
  @Override
  public Optional<Principal> verify(String presented) {
    Optional<SecretToken> parsed = SecretToken.parse(presented, SecretToken.API);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    ApiToken token = ApiToken.find("lookupId", parsed.get().lookupId()).firstResult();
    Instant now = Instant.now();
    if (token == null
        || !hasher.matches(parsed.get().secret(), token.secretHash)
        || !token.usableAt(now)) {
      return Optional.empty();
    }
    Optional<Principal> principal = principalOf(token, now);
    if (principal.isPresent()
        && (token.lastUsedAt == null
            || token.lastUsedAt.plus(LAST_USED_RESOLUTION).isBefore(now))) {
      token.lastUsedAt = now;
    }
    return principal;
  }

  /**
   * The principal of a live socket's API token as it is now (admin flag read fresh), or empty when
   * the token was revoked or expired or its user disabled or deleted.
   */
  @Transactional
  @Override
  public Optional<Principal> current(long tokenId) {
    ApiToken token = ApiToken.findById(tokenId);
    return token == null ? Optional.empty() : principalOf(token, Instant.now());
  }

  /** How long a live socket's API token lasts, as it stands now. */
  @Transactional
  @Override
  public CredentialLifetime lifetime(long tokenId) {
    ApiToken token = ApiToken.findById(tokenId);
    if (token == null || principalOf(token, Instant.now()).isEmpty()) {
      return CredentialLifetime.ENDED;
    }
    return new CredentialLifetime(true, token.expiresAt, token.expiresAt);
  }

  @Transactional
  @Override
  public void factorPresented(long id, Instant at) {
    ApiToken.update("factorAt = ?1 where id = ?2", at, id);
  }

  private static Optional<Principal> principalOf(ApiToken token, Instant now) {
    if (!token.usableAt(now)) {
      return Optional.empty();
    }
    UserAccount user = UserAccount.findById(token.userId);
    if (user == null || user.disabled) {
      return Optional.empty();
    }
    return Optional.of(
        new Principal(
            user.id,
            user.username,
            user.admin,
            Principal.Via.API_TOKEN,
            token.id,
            null,
            token.mfa,
            token.createdAt,
            token.factorAt));
  }

  public List<ApiToken> list(long userId) {
    return ApiToken.list("userId = ?1 and revokedAt is null order by id", userId);
  }

  /** Revokes one of the user's own tokens; someone else's token answers 404. */
  @Transactional
  public ApiToken revoke(long userId, long tokenId) {
    ApiToken token = ApiToken.findById(tokenId);
    if (token == null || !token.userId.equals(userId) || token.revokedAt != null) {
      throw ApiException.notFound("no API token " + tokenId);
    }
    token.revokedAt = Instant.now();
    return token;
  }

  @Transactional
  public int revokeAll(long userId) {
    return ApiToken.update(
        "revokedAt = ?1 where userId = ?2 and revokedAt is null", Instant.now(), userId);
  }
}
