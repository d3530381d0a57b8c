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
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A TCP target an admin marked as a web page (docs/device-web.md): served on the host {@code
 * d-<hostLabel>.<TETHER_WEB_DOMAIN>}. The row outlives the marking, so a label is never reused.
 */
@Entity
@Table(name = "device_web_targets")
public class WebTarget extends PanacheEntityBase {
  public static final String HTTP = "http";
  public static final String HTTPS = "https";

  /** Labels are 128 random bits: unguessable, so no cross-site page can name a device's host. */
  static final int LABEL_BITS = 128;

  private static final SecureRandom RANDOM = new SecureRandom();

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "device_id", nullable = false)
  public Device device;

  @Column(nullable = false, length = 64)
  public String target;

  /** {@code http} or {@code https}; null: no longer a web target (the label stays reserved). */
  @Column(length = 8)
  public String scheme;

  @Column(name = "host_label", nullable = false, unique = true, length = 32)
  public String hostLabel;

  /** https: the SHA-256 of the certificate pinned on first use (hex); null until then. */
  @Column(name = "pinned_sha256", length = 64)
  public String pinnedSha256;

  /** https: a different certificate the device presented since, waiting for an admin. */
  @Column(name = "offered_sha256", length = 64)
  public String offeredSha256;

  @Column(name = "created_at", nullable = false, updatable = false)
  public Instant createdAt = Instant.now();

  /**
   * A fresh label: 128 random bits in lowercase base32 (the extended-hex alphabet, 26 characters),
   * never derived from the device's id or name.
   */
  public static String newLabel() {
    byte[] bits = new byte[LABEL_BITS / 8];
    RANDOM.nextBytes(bits);
    String text = new BigInteger(1, bits).toString(32);
    return "0".repeat(26 - text.length()) + text;
  }

  /** The host name's first label, as browsers send it. */
  public String hostName() {
    return "d-" + hostLabel;
  }
}
