package io.tether.mfa;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A password sign-in waiting for its second factor; the token's hash only. */
@Entity
@Table(name = "pending_logins")
public class PendingLogin extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(name = "token_hash", nullable = false, unique = true)
  public byte[] tokenHash;

  @Column(length = 64)
  public String address;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;

  /** The first step when it was not a password: {@code oidc:<provider>}; else null. */
  @Column(length = 48)
  public String method;
}
