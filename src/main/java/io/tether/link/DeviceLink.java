package io.tether.link;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A TCP port on the portal tied to one device target. */
@Entity
@Table(name = "device_links")
public class DeviceLink extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "device_id", nullable = false)
  public Long deviceId;

  @Column(nullable = false, length = 32)
  public String target;

  @Column(nullable = false, unique = true)
  public int port;

  /** Who may connect; empty admits nobody. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "allow_cidrs", nullable = false, columnDefinition = "varchar(64)[]")
  public String[] allowCidrs = new String[0];

  /** A client that connects while someone controls the session takes control (else refused). */
  @Column(name = "take_over", nullable = false)
  public boolean takeOver;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  public static List<DeviceLink> ofDevice(long deviceId) {
    return list("deviceId = ?1 order by id", deviceId);
  }
}
