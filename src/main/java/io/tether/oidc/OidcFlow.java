package io.tether.oidc;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A sign-in at a provider in progress: hashed state, nonce, PKCE verifier; used once. */
@Entity
@Table(name = "oidc_flows")
public class OidcFlow extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "state_hash", nullable = false, unique = true)
  public byte[] stateHash;

  @Column(name = "browser_hash", nullable = false)
  public byte[] browserHash;

  @Column(nullable = false, length = 32)
  public String provider;

  @Column(nullable = false, length = 64)
  public String nonce;

  @Column(name = "code_verifier", nullable = false, length = 128)
  public String codeVerifier;

  @Column(name = "link_user_id")
  public Long linkUserId;

  @Column(name = "invitation_id")
  public Long invitationId;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;
}
