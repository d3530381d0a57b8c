package io.tether.enroll;

import io.tether.access.Principal;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.api.ApiException;
import io.tether.api.Page;
import io.tether.api.PageRequest;
import io.tether.device.DeviceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Enrollment tokens: mint (the secret shown once), list, revoke. Redeeming is {@link Enrollments}.
 */
@ApplicationScoped
public class EnrollmentTokens {
  @Inject TokenHasher hasher;

  /** A freshly minted token with its secret value, which is returned only here. */
  public record Issued(EnrollmentToken token, String value) {}

  @Transactional
  public Issued create(Principal admin, EnrollmentApi.NewToken body) {
    EnrollmentToken token = new EnrollmentToken();
    token.group = DeviceService.group(body.group());
    token.expiresAt = Instant.now().plus(Lifetime.parse(body.expiresIn()));
    token.usesAllowed = body.uses() == null ? 1 : body.uses();
    token.tags =
        body.tags() == null
            ? new String[0]
            : body.tags().stream().distinct().toArray(String[]::new);
    token.autoApprove = Boolean.TRUE.equals(body.autoApprove());
    token.description = body.description() == null ? "" : body.description();
    token.createdBy = admin.username();
    SecretToken secret = SecretToken.generate(SecretToken.ENROLLMENT);
    token.lookupId = secret.lookupId();
    token.secretHash = hasher.hash(secret.secret());
    token.persist();
    return new Issued(token, secret.value());
  }

  /** Every token (revoked and expired ones too, with their state), by id, paged. */
  public Page<EnrollmentToken> list(String cursor, Integer limit) {
    PageRequest page = PageRequest.of(cursor, limit);
    List<EnrollmentToken> rows =
        EnrollmentToken.<EnrollmentToken>find(
                "id > ?1 order by id", page.after() == null ? 0L : page.after())
            .page(0, page.limit() + 1)
            .list();
    return page.page(rows, t -> t.id);
  }

  /** Revokes a token: it enrolls nothing more; devices it enrolled keep their own tokens. */
  @Transactional
  public EnrollmentToken revoke(long id) {
    EnrollmentToken token = EnrollmentToken.findById(id);
    if (token == null) {
      throw ApiException.notFound("no enrollment token " + id);
    }
    if (token.revokedAt == null) {
      token.revokedAt = Instant.now();
    }
    return token;
  }
}
