package io.tether.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tether.api.ApiException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A set of devices that access is granted on; the group "default" always exists. */
@Entity
@Table(name = "device_groups")
public class DeviceGroup extends PanacheEntityBase {
  public static final String DEFAULT = "default";

  /** A device's encoding when neither the request nor its group names one. */
  public static final String DEFAULT_ENCODING = "utf-8";

  /** A target's console log is kept up to this size unless its group says otherwise. */
  public static final long DEFAULT_LOG_MAX_BYTES = 64L * 1024 * 1024;

  /** A target's console log is kept this many days unless its group says otherwise. */
  public static final int DEFAULT_LOG_DAYS = 30;

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

  /** Terminals, forwards and data flows on its devices need a credential with a second factor. */
  @Column(name = "require_second_factor", nullable = false)
  public boolean requireSecondFactor;

  /**
   * Days an API token made with a second factor opens terminals and forwards here after it was
   * made, when the group requires one; null: {@link
   * io.tether.access.AccessPolicy#DEFAULT_SECOND_FACTOR_TOKEN_DAYS}.
   */
  @Column(name = "second_factor_token_days")
  public Integer secondFactorTokenDays;

  /**
   * When a second factor is required: minutes within which it must have been presented when a
   * terminal, forward or device page opens (asked again before each session); null: not asked.
   */
  @Column(name = "reauth_minutes")
  public Integer reauthMinutes;

  /** The days of {@link #secondFactorTokenDays}, the default filled in. */
  public int secondFactorTokenDays() {
    return secondFactorTokenDays == null
        ? io.tether.access.AccessPolicy.DEFAULT_SECOND_FACTOR_TOKEN_DAYS
        : secondFactorTokenDays;
  }

  /** Encoding a new device of the group gets when none is given; null: utf-8. */
  @Column(name = "default_encoding", length = 16)
  public String defaultEncoding;

  /** Tags every new device of the group gets, besides its own. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "default_tags", nullable = false, columnDefinition = "varchar(64)[]")
  public String[] defaultTags = new String[0];

  /** Console logging of the group's serial targets that have no setting of their own. */
  @Column(name = "console_log", nullable = false, length = 8)
  public String consoleLog = TargetSettings.LOG_OFF;

  /** Bytes of console log kept per target; null: {@link #DEFAULT_LOG_MAX_BYTES}. */
  @Column(name = "console_log_max_bytes")
  public Long consoleLogMaxBytes;

  /** Days of console log kept; null: {@link #DEFAULT_LOG_DAYS}. */
  @Column(name = "console_log_days")
  public Integer consoleLogDays;

  /** Seconds a device of the group may be away before it is offline; null: the deployment's. */
  @Column(name = "offline_grace_seconds")
  public Integer offlineGraceSeconds;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  /** The encoding of a new device in this group that asked for {@code requested} (may be null). */
  public String encodingFor(String requested) {
    if (requested != null) {
      return requested;
    }
    return defaultEncoding == null ? DEFAULT_ENCODING : defaultEncoding;
  }

  /**
   * The tags of a new device in this group: the group's defaults, then {@code own} (may be null),
   * without repeats; 400 naming {@code tags} when together they are more than a device may carry.
   */
  public String[] tagsFor(List<String> own) {
    LinkedHashSet<String> all = new LinkedHashSet<>(List.of(defaultTags));
    if (own != null) {
      all.addAll(own);
    }
    if (all.size() > DeviceApi.MAX_TAGS) {
      throw ApiException.badRequest(
          "tags",
          "tags: with the "
              + defaultTags.length
              + " default tags of group '"
              + name
              + "' a device would have "
              + all.size()
              + " tags, at most "
              + DeviceApi.MAX_TAGS
              + " are allowed");
    }
    return all.toArray(String[]::new);
  }
}
