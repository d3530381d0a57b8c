package io.tether.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A command-line sign-in a browser allowed, waiting for its exchange; the code's hash only. */
@Entity
@Table(name = "cli_logins")
public class CliLogin extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "user_id", nullable = false)
  public Long userId;

  @Column(name = "code_hash", nullable = false, unique = true)
  public byte[] codeHash;

  /** The PKCE S256 challenge of the CLI's verifier. */
  @Column(nullable = false, length = 64)
  public String challenge;

  /** The name of the API token the exchange creates. */
  @Column(nullable = false, length = 64)
  public String name;

  @Column(name = "ttl_days", nullable = false)
  public int ttlDays;

  /** The browser session that allowed the sign-in. */
  @Column(name = "session_id", nullable = false)
  public Long sessionId;

  /** That session was signed in with a second factor. */
  @Column(nullable = false)
  public boolean mfa;

  @Column(length = 64)
  public String address;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt = Instant.now();

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;
}
