package io.tether.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A browser session: the cookie carries a random id, only its hash is stored here. */
@Entity
@Table(name = "web_sessions")
public class WebSession extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(name = "id_hash", nullable = false, unique = true)
  public byte[] idHash;

  @Column(name = "csrf_token", nullable = false, length = 64)
  public String csrfToken;

  @Column(length = 64)
  public String address;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "last_seen_at", nullable = false)
  public Instant lastSeenAt = Instant.now();

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  /**
   * How it was signed in: {@code password}, {@code oidc:<provider>}, {@code ssh}; null if older.
   */
  @Column(length = 64)
  public String method;

  /** Signed in with a second factor. */
  @Column(nullable = false)
  public boolean mfa;

  /** When a second factor was last presented in this session; null: never. */
  @Column(name = "factor_at")
  public java.time.Instant factorAt;
}
