package io.tether.ssh;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user's SSH public key as stored: the canonical key line and its SHA-256 fingerprint. */
@Entity
@Table(name = "ssh_keys")
public class SshKey extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(nullable = false, length = 64)
  public String name;

  @Column(name = "public_key", nullable = false, length = PublicKeys.MAX_LINE)
  public String publicKey;

  @Column(nullable = false, unique = true, length = 100)
  public String fingerprint;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "last_used_at")
  public Instant lastUsedAt;
}
