package io.tether.consolelog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A group's console rule: lines its devices print that match the pattern raise console.match. */
@Entity
@Table(name = "console_rules")
public class ConsoleRule extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "group_id", nullable = false)
  public long groupId;

  @Column(nullable = false, length = 64)
  public String name;

  /** RE2 syntax ({@link RulePattern}). */
  @Column(nullable = false, length = RulePattern.MAX_PATTERN_CHARS)
  public String pattern;

  /** info, warning or critical. */
  @Column(nullable = false, length = 8)
  public String severity;

  @Column(name = "cooldown_seconds", nullable = false)
  public int cooldownSeconds;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();
}
