package io.tether.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A set of devices that access is granted on; the group "default" always exists. */
@Entity
@Table(name = "device_groups")
public class DeviceGroup extends PanacheEntityBase {
  public static final String DEFAULT = "default";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true, length = 64)
  public String name;

  /** Recording policy of the group's sessions: off, output (default) or all (keystrokes too). */
  @Column(nullable = false, length = 8)
  public String recording = "output";

  /** Days recordings are kept; null: the deployment's TETHER_RECORDING_RETENTION. */
  @Column(name = "retention_days")
  public Integer retentionDays;

  /**
   * With recording {@code all}: whether tether-cli may still forward to TCP targets, which are
   * never recorded (otherwise such forwards are refused).
   */
  @Column(name = "allow_unrecorded", nullable = false)
  public boolean allowUnrecorded;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();
}
