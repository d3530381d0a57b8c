package io.tether.mfa;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered WebAuthn credential (security key or passkey) of a user. */
@Entity
@Table(name = "webauthn_credentials")
public class SecurityKey extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(name = "credential_id", nullable = false, unique = true)
  public byte[] credentialId;

  @Column(name = "public_key_cose", nullable = false)
  public byte[] publicKeyCose;

  @Column(nullable = false)
  public UUID aaguid;

  @Column(name = "sign_count", nullable = false)
  public long signCount;

  @Column(nullable = false, length = 64)
  public String name;

  @Column(length = 128)
  public String transports;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "last_used_at")
  public Instant lastUsedAt;
}
