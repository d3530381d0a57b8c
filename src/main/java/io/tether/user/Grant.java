package io.tether.user;

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
import java.util.List;

/** A role (viewer or operator) of one user on one device group. */
@Entity
@Table(name = "grants")
public class Grant extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "group_id", nullable = false)
  public DeviceGroup group;

  @Column(nullable = false, length = 16)
  public String role;

  /** Whether the user may replay and export the group's session recordings. */
  @Column(nullable = false)
  public boolean replay;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  /**
   * Null for a grant an admin made; {@code oidc:<provider>} for one kept in step with that
   * provider's groups claim (each sign-in there adds and removes only those).
   */
  @Column(length = 48)
  public String source;

  public static List<Grant> ofUser(long userId) {
    return list("userId = ?1 order by id", userId);
  }
}
