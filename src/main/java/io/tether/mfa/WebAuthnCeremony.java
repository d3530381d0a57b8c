package io.tether.mfa;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.VerificationException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The WebAuthn checks of a registration and of a sign-in (webauthn4j): the client data's type,
 * challenge and origin, the rpId hash, user presence, the attestation ("none" is accepted: we trust
 * no authenticator model more than another), the assertion's signature with the stored public key,
 * and a signature counter that only goes up. Pure: the caller finds, claims and stores.
 */
public final class WebAuthnCeremony {
  /** ES256 first (every security key), then EdDSA and RS256 (Windows Hello). */
  public static final List<Long> ALGORITHMS = List.of(-7L, -8L, -257L);

  /**
   * User verification (PIN, fingerprint) is asked for but not required: a plain security key that
   * only proves presence is still a second factor after the password.
   */
  static final boolean USER_VERIFICATION_REQUIRED = false;

  private static final List<PublicKeyCredentialParameters> PARAMETERS =
      ALGORITHMS.stream()
          .map(
              alg ->
                  new PublicKeyCredentialParameters(
                      PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.create(alg)))
          .toList();

  private final WebAuthnManager manager;
  private final AttestedCredentialDataConverter credentials;

  public WebAuthnCeremony() {
    ObjectConverter converter = new ObjectConverter();
    // non-strict: any attestation format, no trust anchors (we ask for "none")
    this.manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
    this.credentials = new AttestedCredentialDataConverter(converter);
  }

  /** A response the browser sent that is malformed or fails a check; the message says which. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A key as the portal keeps it. */
  public record StoredKey(byte[] credentialId, byte[] publicKeyCose, UUID aaguid, long signCount) {}

  /** What a verified registration adds. */
  public record NewKey(
      byte[] credentialId,
      byte[] publicKeyCose,
      UUID aaguid,
      long signCount,
      Set<String> transports) {}

  /** A registration response as parsed, before the checks: its challenge is to be claimed. */
  public record Registration(RegistrationData data) {
    public String challenge() {
      return encode(data.getCollectedClientData().getChallenge().getValue());
    }
  }

  /** A sign-in response as parsed, before the checks. */
  public record Assertion(AuthenticationData data) {
    public String challenge() {
      return encode(data.getCollectedClientData().getChallenge().getValue());
    }

    public byte[] credentialId() {
      return data.getCredentialId();
    }
  }

  public Registration parseRegistration(String json) throws Refused {
    try {
      RegistrationData data = manager.parseRegistrationResponseJSON(json);
      if (data.getCollectedClientData() == null
          || data.getCollectedClientData().getChallenge() == null
          || data.getAttestationObject() == null) {
        throw new Refused("not a registration response", null);
      }
      return new Registration(data);
    } catch (RuntimeException e) { // the parser meets missing members with any runtime exception
      throw new Refused("not a registration response: " + e.getMessage(), e);
    }
  }

  public Assertion parseAssertion(String json) throws Refused {
    try {
      AuthenticationData data = manager.parseAuthenticationResponseJSON(json);
      if (data.getCollectedClientData() == null
          || data.getCollectedClientData().getChallenge() == null
          || data.getCredentialId() == null) {
        throw new Refused("not a sign-in response", null);
      }
      return new Assertion(data);
    } catch (RuntimeException e) { // the parser meets missing members with any runtime exception
      throw new Refused("not a sign-in response: " + e.getMessage(), e);
    }
  }

  /** Checks a registration made for {@code challenge} at {@code rp}. */
  public NewKey verify(Registration r, RelyingParty rp, String challenge) throws Refused {
    RegistrationParameters parameters =
        new RegistrationParameters(
            server(rp, challenge), PARAMETERS, USER_VERIFICATION_REQUIRED, true);
    try {
      manager.verify(r.data(), parameters);
    } catch (VerificationException e) {
      throw new Refused(reason(e), e);
    }
    AttestedCredentialData attested =
        r.data().getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
    byte[] encoded = credentials.convert(attested);
    int coseStart = 16 + 2 + attested.getCredentialId().length;
    Set<String> transports =
        r.data().getTransports() == null
            ? Set.of()
            : r.data().getTransports().stream()
                .map(AuthenticatorTransport::getValue)
                .collect(Collectors.toSet());
    return new NewKey(
        attested.getCredentialId(),
        Arrays.copyOfRange(encoded, coseStart, encoded.length),
        attested.getAaguid().getValue(),
        r.data().getAttestationObject().getAuthenticatorData().getSignCount(),
        transports);
  }

  /**
   * Checks a sign-in for {@code challenge} at {@code rp} with the stored key; answers the new
   * signature counter. A counter not above the stored one (unless both are 0, as for keys that keep
   * none) is refused: the key may have been cloned.
   */
  public long verify(Assertion a, RelyingParty rp, String challenge, StoredKey key) throws Refused {
    if (!Arrays.equals(a.credentialId(), key.credentialId())) {
      throw new Refused("the response is from another key", null);
    }
    AttestedCredentialData attested = attested(key);
    CredentialRecordImpl record =
        new CredentialRecordImpl(
            new NoneAttestationStatement(),
            null,
            null,
            null,
            key.signCount(),
            attested,
            null,
            null,
            null,
            null);
    AuthenticationParameters parameters =
        new AuthenticationParameters(
            server(rp, challenge),
            record,
            List.of(key.credentialId()),
            USER_VERIFICATION_REQUIRED,
            true);
    try {
      manager.verify(a.data(), parameters);
    } catch (VerificationException e) {
      throw new Refused(reason(e), e);
    }
    return a.data().getAuthenticatorData().getSignCount();
  }

  private AttestedCredentialData attested(StoredKey key) {
    byte[] id = key.credentialId();
    ByteBuffer bytes = ByteBuffer.allocate(16 + 2 + id.length + key.publicKeyCose().length);
    bytes.put(new AAGUID(key.aaguid()).getBytes());
    bytes.putShort((short) id.length);
    bytes.put(id);
    bytes.put(key.publicKeyCose());
    return credentials.convert(bytes.array());
  }

  private static ServerProperty server(RelyingParty rp, String challenge) {
    return ServerProperty.builder()
        .origin(Origin.create(rp.origin()))
        .rpId(rp.id())
        .challenge(new DefaultChallenge(challenge))
        .build();
  }

  /** Words for the failed check, for the audit log (the user is told "not recognised"). */
  private static String reason(VerificationException e) {
    if (e instanceof BadOriginException) {
      return "signed for another origin";
    }
    if (e instanceof BadRpIdException) {
      return "made for another site (rpId)";
    }
    if (e instanceof BadSignatureException) {
      return "the signature does not match the key";
    }
    if (e instanceof MaliciousCounterValueException) {
      return "the signature counter went back (a cloned key?)";
    }
    return e.getClass().getSimpleName().replace("Exception", "") + ": " + e.getMessage();
  }

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
