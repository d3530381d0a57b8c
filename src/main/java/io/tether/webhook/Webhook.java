package io.tether.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One webhook endpoint: where events go, which ones, and the (sealed) secrets that sign them. */
@Entity
@Table(name = "webhooks")
public class Webhook extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, length = 2048)
  public String url;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "varchar(96)[]")
  public String[] events = new String[0];

  /** Empty: every group. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "group_ids", nullable = false, columnDefinition = "bigint[]")
  public Long[] groupIds = new Long[0];

  @Column(nullable = false)
  public boolean enabled = true;

  @Column(name = "secret_sealed", nullable = false)
  public byte[] secretSealed;

  /** The secret before the last rotation, which signs too until {@link #oldSecretUntil}. */
  @Column(name = "old_secret_sealed")
  public byte[] oldSecretSealed;

  @Column(name = "old_secret_until")
  public Instant oldSecretUntil;

  @Column(name = "disabled_reason", length = 256)
  public String disabledReason;

  /** Since when every attempt has failed; null after a success. */
  @Column(name = "failing_since")
  public Instant failingSince;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();
}
