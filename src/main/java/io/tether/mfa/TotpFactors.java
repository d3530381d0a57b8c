package io.tether.mfa;

import io.tether.api.ApiException;
import io.tether.boot.NodeIdentity;
import io.tether.relay.SealedBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A user's TOTP factor: enrol (a sealed secret, not yet active), confirm with a first code (active,
 * with ten new {@link RecoveryCodes} shown once), verify a code at sign-in (each step accepted
 * once, on any node: a conditional UPDATE), use a recovery code (once), remove.
 */
@ApplicationScoped
public class TotpFactors {
  /** The issuer authenticator apps show beside the account. */
  static final String ISSUER = "Tether";

  /** HKDF label of the key that seals TOTP secrets: no other use shares it. */
  static final String KEY_LABEL = "tether totp secrets v1";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final RecoveryCodes recoveryCodes;
  private final SealedBox box;
  private final Clock clock;

  @Inject
  TotpFactors(RecoveryCodes recoveryCodes, NodeIdentity node) {
    this(recoveryCodes, node.secret(), Clock.systemUTC());
  }

  TotpFactors(RecoveryCodes recoveryCodes, byte[] nodeSecret, Clock clock) {
    this.recoveryCodes = recoveryCodes;
    this.box = new SealedBox(nodeSecret, KEY_LABEL, "a TOTP secret");
    this.clock = clock;
  }

  /** A new secret for the authenticator app: base32 and as an otpauth URI (for the QR code). */
  public record Enrolment(String secret, String otpauthUri) {}

  /** The state of a user's factor, as their security page shows it. */
  public record Status(boolean active, boolean pending, int recoveryCodesLeft) {}

  public Status status(long userId) {
    Optional<TotpFactor> f = TotpFactor.findByIdOptional(userId);
    return new Status(
        f.map(TotpFactor::active).orElse(false),
        f.map(t -> !t.active()).orElse(false),
        recoveryCodes.left(userId));
  }

  /** Which of these users have an active factor (one query for a page of users). */
  public Set<Long> activeAmong(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return Set.of();
    }
    return TotpFactor.<TotpFactor>list("userId in ?1 and confirmedAt is not null", userIds).stream()
        .map(f -> f.userId)
        .collect(Collectors.toSet());
  }

  /** Whether the user signs in with a second factor. */
  public boolean active(long userId) {
    return TotpFactor.<TotpFactor>findByIdOptional(userId).map(TotpFactor::active).orElse(false);
  }

  /**
   * Starts (or restarts) enrolment with a fresh secret. Refused while a factor is active: removing
   * it first needs the password and a code.
   */
  @Transactional
  public Enrolment begin(long userId, String username) {
    TotpFactor f = TotpFactor.findById(userId);
    if (f != null && f.active()) {
      throw ApiException.conflict(
          null, "a TOTP factor is already active: remove it first to enrol a new one");
    }
    byte[] secret = new byte[Totp.SECRET_BYTES];
    RANDOM.nextBytes(secret);
    if (f == null) {
      f = new TotpFactor();
      f.userId = userId;
    }
    f.secretSealed = box.seal(secret);
    f.lastStep = 0;
    f.persist();
    String base32 = Base32.encode(secret);
    return new Enrolment(base32, otpauthUri(username, base32));
  }

  static String otpauthUri(String username, String base32) {
    String label = URLEncoder.encode(ISSUER + ":" + username, StandardCharsets.UTF_8);
    return "otpauth://totp/"
        + label.replace("+", "%20").replace("%3A", ":")
        + "?secret="
        + base32
        + "&issuer="
        + ISSUER;
  }

  /**
   * Activates a pending factor with a first code; answers the recovery codes, shown only here. A
   * wrong code answers 400 on {@code code}.
   */
  @Transactional
  public List<String> confirm(long userId, String code) {
    TotpFactor f = TotpFactor.findById(userId);
    if (f == null) {
      throw ApiException.conflict(null, "no TOTP enrolment to confirm: start one first");
    }
    if (f.active()) {
      throw ApiException.conflict(null, "the TOTP factor is already active");
    }
    OptionalLong step =
        Totp.match(box.open(f.secretSealed), code, Totp.step(clock.instant()), f.lastStep);
    if (step.isEmpty()) {
      throw ApiException.badRequest(
          "code", "code is not the current code of this secret (is the phone's clock right?)");
    }
    f.lastStep = step.getAsLong();
    f.confirmedAt = clock.instant();
    return recoveryCodes.issue(userId);
  }

  /**
   * Whether {@code code} is a current code of the user's active factor that was not accepted
   * before. The step is claimed with a conditional UPDATE, so of two nodes given the same code at
   * once only one accepts it.
   */
  @Transactional
  public boolean verify(long userId, String code) {
    TotpFactor f = TotpFactor.findById(userId);
    if (f == null || !f.active()) {
      return false;
    }
    OptionalLong step =
        Totp.match(box.open(f.secretSealed), code, Totp.step(clock.instant()), f.lastStep);
    if (step.isEmpty()) {
      return false;
    }
    return TotpFactor.update(
            "lastStep = ?1 where userId = ?2 and lastStep < ?1", step.getAsLong(), userId)
        == 1;
  }

  /**
   * Removes the factor; true when there was one. The recovery codes are {@link SecondFactors}'
   * business: they stay while another factor does.
   */
  @Transactional
  public boolean remove(long userId) {
    return TotpFactor.deleteById(userId);
  }
}
