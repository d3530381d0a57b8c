package io.tether.mfa;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user's TOTP secret, sealed; active once a first code confirmed it. */
@Entity
@Table(name = "user_totp")
public class TotpFactor extends PanacheEntityBase {
  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(name = "secret_sealed", nullable = false)
  public byte[] secretSealed;

  @Column(name = "confirmed_at")
  public Instant confirmedAt;

  /** The last accepted time step; only a later one is accepted (a code never counts twice). */
  @Column(name = "last_step", nullable = false)
  public long lastStep;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt = Instant.now();

  public boolean active() {
    return confirmedAt != null;
  }
}
