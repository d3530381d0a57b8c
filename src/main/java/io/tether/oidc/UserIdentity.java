package io.tether.oidc;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** An identity at a provider, bound to one account by (issuer, subject) alone. */
@Entity
@Table(name = "user_identities")
public class UserIdentity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(nullable = false, length = 32)
  public String provider;

  @Column(nullable = false, length = 512)
  public String issuer;

  @Column(nullable = false, length = 255)
  public String subject;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "last_login_at")
  public Instant lastLoginAt;

  static Optional<UserIdentity> of(String issuer, String subject) {
    return find("issuer = ?1 and subject = ?2", issuer, subject).firstResultOptional();
  }
}
