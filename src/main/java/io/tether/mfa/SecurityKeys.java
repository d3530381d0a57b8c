package io.tether.mfa;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A user's security keys and passkeys (WebAuthn): register (a challenge, then the authenticator's
 * answer checked by {@link WebAuthnCeremony}), list, rename, remove, sign in with one and present
 * one again in a signed-in session (a step-up). A challenge is claimed before its answer is
 * checked, in a transaction of its own, so a refused answer uses it up too.
 */
@ApplicationScoped
public class SecurityKeys {
  /** Keys per user: each is listed in every sign-in's allowCredentials. */
  public static final int MAX_KEYS = 20;

  /** A name's longest length, as the column. */
  public static final int NAME_LENGTH = 64;

  @Inject WebAuthnChallenges challenges;

  private final WebAuthnCeremony ceremony = new WebAuthnCeremony();

  /** A key as the account page lists it. */
  public record KeyInfo(long id, String name, Instant createdAt, Instant lastUsedAt) {
    static KeyInfo of(SecurityKey k) {
      return new KeyInfo(k.id, k.name, k.createdAt, k.lastUsedAt);
    }
  }

  /** A credential the browser is told of (allowCredentials, excludeCredentials). */
  public record Descriptor(byte[] credentialId, List<String> transports) {}

  /** A challenge to sign and the user's credentials it concerns. */
  public record Challenge(String challenge, List<Descriptor> credentials) {}

  public long count(long userId) {
    return SecurityKey.count("userId", userId);
  }

  /** Which of these users have a key. */
  public Set<Long> ownersAmong(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return Set.of();
    }
    return SecurityKey.<SecurityKey>list("userId in ?1", userIds).stream()
        .map(k -> k.userId)
        .collect(Collectors.toSet());
  }

  /** How many keys each of these users has (absent: none). */
  public java.util.Map<Long, Long> countsAmong(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return java.util.Map.of();
    }
    return SecurityKey.getEntityManager()
        .createQuery(
            "select k.userId, count(k) from SecurityKey k where k.userId in :ids group by k.userId",
            Object[].class)
        .setParameter("ids", userIds)
        .getResultList()
        .stream()
        .collect(Collectors.toMap(r -> (Long) r[0], r -> (Long) r[1]));
  }

  public List<KeyInfo> list(long userId) {
    return SecurityKey.<SecurityKey>list("userId = ?1 order by createdAt, id", userId).stream()
        .map(KeyInfo::of)
        .toList();
  }

  /**
   * The user handle the authenticator keeps with the credential: the account id, 8 bytes. Not
   * personal (no name or address) and stable, as the spec asks.
   */
  public static byte[] userHandle(long userId) {
    return ByteBuffer.allocate(Long.BYTES).putLong(userId).array();
  }

  /** Starts a registration: a challenge, and the keys the authenticator must not register again. */
  public Challenge beginRegistration(long userId) {
    requireRoom(userId);
    return new Challenge(
        challenges.issue(userId, WebAuthnChallenges.REGISTRATION, null), descriptors(userId));
  }

  /**
   * Checks the authenticator's answer to a registration of this user at {@code rp} and stores the
   * key under {@code name}. The challenge is used up whatever the outcome.
   */
  public KeyInfo finishRegistration(long userId, String name, String json, RelyingParty rp)
      throws WebAuthnCeremony.Refused {
    WebAuthnCeremony.Registration r = ceremony.parseRegistration(json);
    if (!challenges.claim(userId, WebAuthnChallenges.REGISTRATION, null, r.challenge())) {
      throw new WebAuthnCeremony.Refused(
          "this registration has expired or was already used: start again", null);
    }
    WebAuthnCeremony.NewKey key = ceremony.verify(r, rp, r.challenge());
    return QuarkusTransaction.joiningExisting()
        .call(
            () -> {
              if (SecurityKey.count("credentialId", key.credentialId()) > 0) {
                throw ApiException.conflict(
                    "credential", "this security key is registered already");
              }
              requireRoom(userId);
              SecurityKey k = new SecurityKey();
              k.userId = userId;
              k.credentialId = key.credentialId();
              k.publicKeyCose = key.publicKeyCose();
              k.aaguid = key.aaguid();
              k.signCount = key.signCount();
              k.name = name;
              k.transports =
                  key.transports().isEmpty()
                      ? null
                      : String.join(",", new TreeSet<>(key.transports()));
              k.persist();
              return KeyInfo.of(k);
            });
  }

  /** Renames a key of the user; false when the user has no such key. */
  @Transactional
  public boolean rename(long userId, long keyId, String name) {
    return SecurityKey.update("name = ?1 where id = ?2 and userId = ?3", name, keyId, userId) == 1;
  }

  /** The name of a key of the user, if they have it. */
  public java.util.Optional<String> name(long userId, long keyId) {
    return SecurityKey.<SecurityKey>find("id = ?1 and userId = ?2", keyId, userId)
        .firstResultOptional()
        .map(k -> k.name);
  }

  @Transactional
  public boolean remove(long userId, long keyId) {
    return SecurityKey.delete("id = ?1 and userId = ?2", keyId, userId) == 1;
  }

  @Transactional
  public long removeAll(long userId) {
    return SecurityKey.delete("userId", userId);
  }

  /** A sign-in challenge bound to the pending sign-in, and the keys that may answer it. */
  public Challenge beginSignIn(long userId, long pendingLoginId) {
    return begin(userId, WebAuthnChallenges.SIGN_IN, pendingLoginId);
  }

  /**
   * A challenge for a signed-in user presenting their second factor again (the step-up a group asks
   * for before each session), and the keys that may answer it.
   */
  public Challenge beginStepUp(long userId) {
    return begin(userId, WebAuthnChallenges.STEP_UP, null);
  }

  private Challenge begin(long userId, String purpose, Long pendingLoginId) {
    List<Descriptor> keys = descriptors(userId);
    if (keys.isEmpty()) {
      throw ApiException.conflict(null, "this account has no security key: use a code");
    }
    return new Challenge(challenges.issue(userId, purpose, pendingLoginId), keys);
  }

  /**
   * Checks a sign-in answer of this user for the pending sign-in at {@code rp}; on success the
   * key's counter and last use are updated. The challenge is used up whatever the outcome. Throws
   * with the reason (for the audit log) when refused; answers the name of the key.
   */
  public String verifySignIn(long userId, long pendingLoginId, String json, RelyingParty rp)
      throws WebAuthnCeremony.Refused {
    return verify(userId, WebAuthnChallenges.SIGN_IN, pendingLoginId, json, rp);
  }

  /** As {@link #verifySignIn}, for a challenge of {@link #beginStepUp}. */
  public String verifyStepUp(long userId, String json, RelyingParty rp)
      throws WebAuthnCeremony.Refused {
    return verify(userId, WebAuthnChallenges.STEP_UP, null, json, rp);
  }

  private String verify(
      long userId, String purpose, Long pendingLoginId, String json, RelyingParty rp)
      throws WebAuthnCeremony.Refused {
    WebAuthnCeremony.Assertion a = ceremony.parseAssertion(json);
    if (!challenges.claim(userId, purpose, pendingLoginId, a.challenge())) {
      throw new WebAuthnCeremony.Refused(
          "challenge not issued for this " + purpose + ", expired or used already", null);
    }
    SecurityKey key =
        SecurityKey.<SecurityKey>find("credentialId = ?1", a.credentialId())
            .firstResultOptional()
            .filter(k -> k.userId == userId)
            .orElseThrow(() -> new WebAuthnCeremony.Refused("not a key of this account", null));
    long signCount =
        ceremony.verify(
            a,
            rp,
            a.challenge(),
            new WebAuthnCeremony.StoredKey(
                key.credentialId, key.publicKeyCose, key.aaguid, key.signCount));
    // conditional: of two answers of one cloned key on two nodes only the first raises the count
    String unchanged = signCount == 0 ? "signCount = 0" : "signCount < ?1";
    int updated =
        QuarkusTransaction.joiningExisting()
            .call(
                () ->
                    SecurityKey.update(
                        "signCount = ?1, lastUsedAt = ?2 where id = ?3 and " + unchanged,
                        signCount,
                        Instant.now(),
                        key.id));
    if (updated != 1) {
      throw new WebAuthnCeremony.Refused("the signature counter went back (a cloned key?)", null);
    }
    return key.name;
  }

  private void requireRoom(long userId) {
    if (count(userId) >= MAX_KEYS) {
      throw ApiException.conflict(
          null, "you have " + MAX_KEYS + " security keys already: remove one to add another");
    }
  }

  private List<Descriptor> descriptors(long userId) {
    return SecurityKey.<SecurityKey>list("userId = ?1 order by id", userId).stream()
        .map(
            k ->
                new Descriptor(
                    k.credentialId,
                    k.transports == null ? List.of() : Arrays.asList(k.transports.split(","))))
        .toList();
  }
}
