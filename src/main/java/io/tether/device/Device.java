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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A device in the registry, with the presence mirrored from the node that holds its tunnel. */
@Entity
@Table(name = "devices")
public class Device extends PanacheEntityBase {
  public static final String ACTIVE = "active";
  public static final String PENDING = "pending";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, length = 64)
  public String name;

  @Column(nullable = false, length = 1024)
  public String description = "";

  // eager: every API view of a device shows its group's name
  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "group_id", nullable = false)
  public DeviceGroup group;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "varchar(64)[]")
  public String[] tags = new String[0];

  /** Targets an admin marked as web pages, and those that were (scheme null). */
  @jakarta.persistence.OneToMany(mappedBy = "device", fetch = FetchType.LAZY)
  @org.hibernate.annotations.BatchSize(size = 64)
  public List<WebTarget> webTargets = new ArrayList<>();

  /** The target of this name if it is a web target now. */
  public Optional<WebTarget> webTarget(String target) {
    return webTargets.stream().filter(w -> w.target.equals(target) && w.scheme != null).findFirst();
  }

  @Column(nullable = false, length = 16)
  public String mode = "agent";

  /** Raw devices: the portal port their device server dials. */
  @Column(name = "ingress_port")
  public Integer ingressPort;

  /** Raw devices: who may dial the ingress port; empty admits nobody. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "allow_cidrs", nullable = false, columnDefinition = "varchar(64)[]")
  public String[] allowCidrs = new String[0];

  /** Raw devices: HMAC of the connect string the unit sends first, if one is required. */
  @Column(name = "connect_secret_hash")
  public byte[] connectSecretHash;

  @Column(name = "connect_secret_length")
  public Integer connectSecretLength;

  public boolean raw() {
    return "raw".equals(mode);
  }

  /** How terminal output is decoded for display: utf-8, latin-1 or cp437. */
  @Column(nullable = false, length = 16)
  public String encoding = "utf-8";

  /** {@link #ACTIVE}, or {@link #PENDING} while a self-enrolled device waits for an admin. */
  @Column(nullable = false, length = 16)
  public String state = ACTIVE;

  /** The enrollment token the device registered itself with; null when an admin created it. */
  @Column(name = "enrolled_with")
  public Long enrolledWith;

  @Column(nullable = false)
  public boolean online;

  @Column(name = "node_id", length = 64)
  public String nodeId;

  @Column(name = "connection_gen", nullable = false)
  public long connectionGeneration;

  @Column(name = "last_seen")
  public Instant lastSeen;

  @Column(name = "remote_address", length = 128)
  public String remoteAddress;

  @Column(name = "agent_version", length = 64)
  public String agentVersion;

  @Column(name = "agent_instance", length = 128)
  public String agentInstance;

  /** The agent of the last tunnel can upgrade itself over it (it offered the capability). */
  @Column(name = "agent_upgradable", nullable = false)
  public boolean agentUpgradable;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  public List<DeviceTarget> targets = new ArrayList<>();

  /** What admins chose per target, by target name (console logging). */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "target_settings", nullable = false, columnDefinition = "jsonb")
  public Map<String, TargetSettings> targetSettings = new LinkedHashMap<>();

  /** Whether the target of this name is logged (its setting, else the group's default). */
  public boolean logged(String target) {
    String kind = null;
    for (DeviceTarget t : targets) {
      if (t.name().equals(target)) {
        kind = t.kind();
      }
    }
    return TargetSettings.logged(targetSettings.get(target), kind, group.consoleLog);
  }

  @Column(name = "duplicate_seen_at")
  public Instant duplicateSeenAt;

  @Column(name = "duplicate_detail", length = 512)
  public String duplicateDetail;

  /** The device's last console.match (its badge on the fleet page); null: none yet. */
  @Column(name = "console_match_rule", length = 64)
  public String consoleMatchRule;

  @Column(name = "console_match_severity", length = 8)
  public String consoleMatchSeverity;

  @Column(name = "console_match_target", length = 32)
  public String consoleMatchTarget;

  @Column(name = "console_match_line", length = ConsoleMatches.MAX_LINE_CHARS)
  public String consoleMatchLine;

  @Column(name = "console_match_at")
  public Instant consoleMatchAt;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "deleted_at")
  public Instant deletedAt;

  public boolean pending() {
    return PENDING.equals(state);
  }

  /** A device that has not been deleted. */
  public static Optional<Device> findLive(long id) {
    return find("id = ?1 and deletedAt is null", id).firstResultOptional();
  }

  /** A live device anyone with access may open sessions to: not deleted, not pending approval. */
  public static Optional<Device> findReachable(long id) {
    return findLive(id).filter(d -> !d.pending());
  }
}
