package io.tether.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API token as stored: lookup id and keyed hash of the secret, never the secret. */
@Entity
@Table(name = "api_tokens")
public class ApiToken extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(nullable = false, length = 64)
  public String name;

  @Column(name = "lookup_id", nullable = false, unique = true, length = 32)
  public String lookupId;

  @Column(name = "secret_hash", nullable = false)
  public byte[] secretHash;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  @Column(name = "last_used_at")
  public Instant lastUsedAt;

  /** Created from a credential established with a second factor. */
  @Column(nullable = false)
  public boolean mfa;

  /** When a second factor was last presented with this token (X-Tether-OTP); null: never. */
  @Column(name = "factor_at")
  public Instant factorAt;

  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
