package io.tether.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** A device token as stored: a lookup id and a keyed hash of the secret, never the secret. */
@Entity
@Table(name = "device_credentials")
public class DeviceCredential extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "device_id", nullable = false)
  public Device device;

  @Column(name = "lookup_id", nullable = false, unique = true, length = 32)
  public String lookupId;

  @Column(name = "secret_hash", nullable = false)
  public byte[] secretHash;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "revoked_at")
  public Instant revokedAt;
}
