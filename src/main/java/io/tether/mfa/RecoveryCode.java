package io.tether.mfa;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One recovery code as stored: its keyed hash, and when it was used (it works once). */
@Entity
@Table(name = "recovery_codes")
public class RecoveryCode extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(name = "code_hash", nullable = false)
  public byte[] codeHash;

  @Column(name = "used_at")
  public Instant usedAt;
}
