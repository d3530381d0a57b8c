package io.tether.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A person who signs in; admins may do everything, others act through grants. */
@Entity
@Table(name = "users")
public class UserAccount extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, length = 64)
  public String username;

  @Column(name = "password_hash", nullable = false, length = 200)
  public String passwordHash;

  @Column(nullable = false)
  public boolean admin;

  @Column(nullable = false)
  public boolean disabled;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "password_changed_at", nullable = false)
  public Instant passwordChangedAt = Instant.now();

  /** Whether this user may sign in with a password (while the deployment allows passwords). */
  @Column(name = "password_login", nullable = false)
  public boolean passwordLogin = true;

  /** An admin who always signs in with a password: an identity provider outage locks no one out. */
  @Column(name = "break_glass", nullable = false)
  public boolean breakGlass;

  /** {@code oidc:<provider>} when the admin flag came from that provider's claim; else null. */
  @Column(name = "admin_source", length = 48)
  public String adminSource;

  public static Optional<UserAccount> findByUsername(String username) {
    return find("lower(username) = lower(?1)", username).firstResultOptional();
  }
}
