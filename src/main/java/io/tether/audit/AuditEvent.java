package io.tether.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One append-only audit entry: who did what to what, from where, when, with which outcome. */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, updatable = false)
  public Instant at = Instant.now();

  @Column(nullable = false, length = 128, updatable = false)
  public String actor;

  @Column(name = "actor_id", updatable = false)
  public Long actorId;

  @Column(nullable = false, length = 64, updatable = false)
  public String action;

  @Column(nullable = false, length = 16, updatable = false)
  public String outcome;

  @Column(length = 256, updatable = false)
  public String subject;

  @Column(name = "device_id", updatable = false)
  public Long deviceId;

  @Column(length = 64, updatable = false)
  public String address;

  @Column(updatable = false, columnDefinition = "text")
  public String detail;
}
