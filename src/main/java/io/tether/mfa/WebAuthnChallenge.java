package io.tether.mfa;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A WebAuthn challenge in flight, its hash only; used once. */
@Entity
@Table(name = "webauthn_challenges")
public class WebAuthnChallenge extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(nullable = false, length = 16)
  public String purpose;

  @Column(name = "challenge_hash", nullable = false, unique = true)
  public byte[] challengeHash;

  @Column(name = "pending_login_id")
  public Long pendingLoginId;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;
}
