package io.tether.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.tether.access.Principal;
import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;
import io.tether.boot.NodeIdentity;
import io.tether.cluster.Membership;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Makes the assertions this node sends and judges the ones it receives. The key is derived from the
 * node secret for this purpose only (HKDF, label {@value #KEY_LABEL}); every node of a cluster
 * shares the secret, so every node derives the same key.
 */
@ApplicationScoped
public class RelayGate {
  static final String KEY_LABEL = "tether-relay-v1";

  /** How long an assertion this node makes is valid: it opens one socket, at once. */
  static final Duration LIFETIME = Duration.ofSeconds(10);

  /**
   * Refusals of one kind (bad MAC, replay, ...) from one peer address are audited at most this
   * often (each is still logged): a broken or hostile peer cannot fill the audit log.
   */
  static final long AUDIT_EVERY_MILLIS = 60_000;

  /**
   * Peer and kind pairs whose last audited refusal is remembered; beyond, the map starts afresh.
   */
  static final int MAX_AUDITED_PEERS = 1_000;

  private static final Logger LOG = Logger.getLogger(RelayGate.class);
  private static final int NONCE_BYTES = 16;

  @Inject NodeIdentity identity;
  @Inject Membership membership;
  @Inject AsyncAudit audit;
  @Inject MeterRegistry registry;

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Long> lastAudited = new ConcurrentHashMap<>();
  private byte[] key;
  private RelayCheck check;

  @PostConstruct
  void init() {
    key = keyFrom(identity.secret());
    check = new RelayCheck(identity.nodeId(), membership::epoch);
  }

  /** The relay key every node derives from the cluster's shared secret. */
  static byte[] keyFrom(byte[] secret) {
    return Hkdf.derive(secret, new byte[0], KEY_LABEL.getBytes(StandardCharsets.US_ASCII), 32);
  }

  /** Refused: the status to answer and the reason. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    Refused(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * An assertion for {@code owner} to serve {@code principal}'s socket to one device target ({@code
   * webSessionId}: the device-web session of a {@link RelayPurpose#WEB} socket, else null).
   */
  public String issue(
      DeviceOwners.Owner owner,
      Principal principal,
      long deviceId,
      String target,
      RelayPurpose purpose,
      String clientAddress,
      Long webSessionId) {
    return sign(
        owner,
        principal.userId(),
        principal.via(),
        principal.credentialId() == null ? -1 : principal.credentialId(),
        deviceId,
        target,
        purpose,
        clientAddress,
        null,
        webSessionId);
  }

  /** An assertion for {@code owner} to serve a link client that came to this node's port. */
  public String issueForLink(
      DeviceOwners.Owner owner, long linkId, long deviceId, String target, String clientAddress) {
    return sign(
        owner, 0, null, -1, deviceId, target, RelayPurpose.LINK, clientAddress, linkId, null);
  }

  private String sign(
      DeviceOwners.Owner owner,
      long userId,
      Principal.Via via,
      long credentialId,
      long deviceId,
      String target,
      RelayPurpose purpose,
      String clientAddress,
      Long linkId,
      Long webSessionId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return new RelayAssertion(
            identity.nodeId(),
            owner.nodeId(),
            owner.epoch(),
            userId,
            via,
            credentialId,
            deviceId,
            target,
            purpose,
            clientAddress,
            System.currentTimeMillis() + LIFETIME.toMillis(),
            Base64.getUrlEncoder().withoutPadding().encodeToString(nonce),
            linkId,
            webSessionId)
        .sign(key);
  }

  /**
   * Judges an assertion received on the internal listener from {@code peer} for {@code purpose}. A
   * refusal is logged, and audited at most once a minute per peer.
   */
  public RelayAssertion admit(String token, RelayPurpose purpose, String peer) throws Refused {
    RelayAssertion a;
    try {
      a = RelayAssertion.verify(token, key);
    } catch (RelayAssertion.Unreadable e) {
      throw refused(401, "bad-assertion: " + e.getMessage(), null, peer);
    }
    if (a.purpose() != purpose) {
      throw refused(403, "wrong-purpose: made for " + a.purpose(), a, peer);
    }
    var refusal = check.check(a, System.currentTimeMillis());
    if (refusal.isPresent()) {
      throw refused(refusal.get().status(), refusal.get().reason(), a, peer);
    }
    return a;
  }

  private Refused refused(int status, String reason, RelayAssertion a, String peer) {
    LOG.warnf("relay from %s refused: %s", peer, reason);
    int colon = reason.indexOf(':');
    String kind = colon < 0 ? reason : reason.substring(0, colon);
    registry.counter("tether.relay.refused", "reason", kind).increment();
    long now = System.currentTimeMillis();
    if (lastAudited.size() > MAX_AUDITED_PEERS) {
      lastAudited.clear();
    }
    Long last = lastAudited.put(peer + " " + kind, now);
    if (last == null || now - last >= AUDIT_EVERY_MILLIS) {
      audit.submit(
          Audit.by(a == null ? "unknown node" : "node " + a.issuer(), null, peer)
              .action("relay.refused")
              .outcome(Audit.DENIED)
              .subject(a == null ? null : "user:" + a.userId())
              .device(a == null ? null : a.deviceId())
              .detail(reason));
    }
    return new Refused(status, reason);
  }
}
