package io.tether.oidc;

import io.tether.access.Principal;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.user.UserAccount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Admin invitations: a random link, shown once and stored hashed, valid {@link #LIFETIME}, whose
 * first single sign-on binds the identity to the invited account. A new invitation ends the
 * account's earlier ones.
 */
@ApplicationScoped
public class SsoInvitations {
  static final Duration LIFETIME = Duration.ofDays(7);

  @Inject TokenHasher hasher;
  @Inject AuditLog audit;

  /** A new invitation: its token (only here) and when it ends. */
  public record Issued(String token, Instant expiresAt) {}

  @Transactional
  public Issued create(Principal admin, String address, long userId) {
    UserAccount user = UserAccount.findById(userId);
    if (user == null) {
      throw ApiException.notFound("no user " + userId);
    }
    SsoInvitation.update("usedAt = ?1 where userId = ?2 and usedAt is null", Instant.now(), userId);
    String token = SecretToken.random(OidcFlows.RANDOM_BYTES);
    SsoInvitation invitation = new SsoInvitation();
    invitation.userId = userId;
    invitation.tokenHash = hasher.hash(token);
    invitation.createdBy = admin.username();
    invitation.expiresAt = Instant.now().plus(LIFETIME);
    invitation.persist();
    audit.record(
        Audit.by(admin, address)
            .action("user.sso-invitation")
            .subject(user.username)
            .detail("valid until " + invitation.expiresAt));
    return new Issued(token, invitation.expiresAt);
  }

  /** The id of a live invitation of {@code token}; empty when unknown, used or expired. */
  @Transactional
  Optional<Long> find(String token) {
    if (token == null || token.isBlank() || token.length() > 128) {
      return Optional.empty();
    }
    return SsoInvitation.<SsoInvitation>find(
            "tokenHash = ?1 and usedAt is null and expiresAt > ?2",
            hasher.hash(token),
            Instant.now())
        .firstResultOptional()
        .map(i -> i.id);
  }

  /** Uses the invitation up (in the caller's transaction); its account, or empty if gone. */
  Optional<Long> use(long id) {
    SsoInvitation invitation = SsoInvitation.findById(id);
    int used =
        SsoInvitation.update(
            "usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", Instant.now(), id);
    return used == 1 && invitation != null ? Optional.of(invitation.userId) : Optional.empty();
  }
}
