package io.tether.enroll;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tether.device.DeviceGroup;
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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An enrollment token as stored: a lookup id and a keyed hash of the secret, never the secret. */
@Entity
@Table(name = "enrollment_tokens")
public class EnrollmentToken extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "lookup_id", nullable = false, unique = true, length = 32)
  public String lookupId;

  @Column(name = "secret_hash", nullable = false)
  public byte[] secretHash;

  // eager: every view of a token names its group
  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "group_id", nullable = false)
  public DeviceGroup group;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "varchar(64)[]")
  public String[] tags = new String[0];

  @Column(name = "auto_approve", nullable = false)
  public boolean autoApprove;

  @Column(name = "uses_allowed", nullable = false)
  public int usesAllowed;

  @Column(name = "uses_count", nullable = false)
  public int usesCount;

  @Column(nullable = false, length = 256)
  public String description = "";

  @Column(name = "created_by", nullable = false, length = 64)
  public String createdBy;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  /** Why the token cannot enroll a device at {@code now}; null when it can. */
  public String refusal(Instant now) {
    if (revokedAt != null) {
      return "the enrollment token was revoked";
    }
    if (!expiresAt.isAfter(now)) {
      return "the enrollment token expired at " + expiresAt;
    }
    if (usesCount >= usesAllowed) {
      return "the enrollment token has been used its " + usesAllowed + " time(s)";
    }
    return null;
  }

  /** active, revoked, expired or used-up, as the token list shows it. */
  public String state(Instant now) {
    if (revokedAt != null) {
      return "revoked";
    }
    if (!expiresAt.isAfter(now)) {
      return "expired";
    }
    return usesCount >= usesAllowed ? "used-up" : "active";
  }
}
