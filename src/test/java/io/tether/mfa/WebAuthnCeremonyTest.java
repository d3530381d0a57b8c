package io.tether.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.access.SecretToken;
import io.tether.testing.SoftAuthenticator;
import org.junit.jupiter.api.Test;

/** The WebAuthn checks with real webauthn4j objects and a software key answering as a browser. */
class WebAuthnCeremonyTest {
  private static final RelyingParty PORTAL = RelyingParty.of("https://portal.example.com");

  private final WebAuthnCeremony ceremony = new WebAuthnCeremony();
  private final SoftAuthenticator key = new SoftAuthenticator();

  private WebAuthnCeremony.StoredKey registered(long counter) throws Exception {
    String challenge = SecretToken.random(32);
    key.counter(counter);
    WebAuthnCeremony.Registration r =
        ceremony.parseRegistration(key.register(challenge, PORTAL.origin(), PORTAL.id()));
    assertEquals(challenge, r.challenge(), "the challenge is read from the client data");
    WebAuthnCeremony.NewKey k = ceremony.verify(r, PORTAL, challenge);
    return new WebAuthnCeremony.StoredKey(
        k.credentialId(), k.publicKeyCose(), k.aaguid(), k.signCount());
  }

  private long signIn(
      WebAuthnCeremony.StoredKey stored, String origin, String rpId, String expectedChallenge)
      throws WebAuthnCeremony.Refused {
    String challenge = SecretToken.random(32);
    WebAuthnCeremony.Assertion a = ceremony.parseAssertion(key.sign(challenge, origin, rpId));
    return ceremony.verify(
        a, PORTAL, expectedChallenge == null ? challenge : expectedChallenge, stored);
  }

  @Test
  void aRegisteredKeySignsInAndItsCounterGoesUp() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(5);
    assertEquals(SoftAuthenticator.encode(stored.credentialId()), key.credentialId());
    assertEquals(5, stored.signCount());
    assertEquals(6, signIn(stored, PORTAL.origin(), PORTAL.id(), null));
  }

  @Test
  void rpIdAndOriginComeFromThePublicUrl() {
    RelyingParty rp = RelyingParty.of("https://Tether.Example.com:8443/portal/");
    assertEquals("tether.example.com", rp.id());
    assertEquals("https://tether.example.com:8443", rp.origin());
    assertEquals("http://localhost:8080", RelyingParty.of("http://localhost:8080").origin());
  }

  @Test
  void refusesARegistrationForAnotherOrigin() throws Exception {
    String challenge = SecretToken.random(32);
    WebAuthnCeremony.Registration r =
        ceremony.parseRegistration(
            key.register(challenge, "https://portal.example.com.evil.test", PORTAL.id()));
    WebAuthnCeremony.Refused refused =
        assertThrows(WebAuthnCeremony.Refused.class, () -> ceremony.verify(r, PORTAL, challenge));
    assertTrue(refused.getMessage().contains("origin"), refused.getMessage());
  }

  @Test
  void refusesASignInForAnotherOrigin() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(0);
    WebAuthnCeremony.Refused refused =
        assertThrows(
            WebAuthnCeremony.Refused.class,
            () -> signIn(stored, "https://phish.example.net", PORTAL.id(), null));
    assertTrue(refused.getMessage().contains("origin"), refused.getMessage());
  }

  @Test
  void refusesASignInMadeForAnotherRpId() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(0);
    WebAuthnCeremony.Refused refused =
        assertThrows(
            WebAuthnCeremony.Refused.class,
            () -> signIn(stored, PORTAL.origin(), "example.com", null));
    assertTrue(refused.getMessage().contains("rpId"), refused.getMessage());
  }

  @Test
  void refusesASignInWhoseCounterWentBack() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(10);
    key.counter(10); // a clone that has not seen the original's last use
    WebAuthnCeremony.Refused refused =
        assertThrows(
            WebAuthnCeremony.Refused.class,
            () -> signIn(stored, PORTAL.origin(), PORTAL.id(), null));
    assertTrue(refused.getMessage().contains("counter"), refused.getMessage());
  }

  @Test
  void acceptsAKeyThatKeepsNoCounter() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(0);
    key.counter(0);
    assertEquals(0, signIn(stored, PORTAL.origin(), PORTAL.id(), null));
  }

  @Test
  void refusesAnAnswerToAnotherChallenge() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(0);
    assertThrows(
        WebAuthnCeremony.Refused.class,
        () -> signIn(stored, PORTAL.origin(), PORTAL.id(), SecretToken.random(32)));
  }

  @Test
  void refusesASignatureOfAnotherKeyUnderTheSameId() throws Exception {
    WebAuthnCeremony.StoredKey stored = registered(0);
    SoftAuthenticator other = new SoftAuthenticator();
    WebAuthnCeremony.StoredKey impostor =
        new WebAuthnCeremony.StoredKey(
            stored.credentialId(), publicKeyOf(other), stored.aaguid(), stored.signCount());
    WebAuthnCeremony.Refused refused =
        assertThrows(
            WebAuthnCeremony.Refused.class,
            () -> signIn(impostor, PORTAL.origin(), PORTAL.id(), null));
    assertTrue(refused.getMessage().contains("signature"), refused.getMessage());
  }

  @Test
  void refusesWhatIsNoCredential() {
    assertThrows(WebAuthnCeremony.Refused.class, () -> ceremony.parseAssertion("{\"id\":1}"));
    assertThrows(WebAuthnCeremony.Refused.class, () -> ceremony.parseRegistration("[]"));
  }

  /** Another key's COSE public key, as the portal would have stored it. */
  private byte[] publicKeyOf(SoftAuthenticator other) throws Exception {
    String challenge = SecretToken.random(32);
    return ceremony
        .verify(
            ceremony.parseRegistration(other.register(challenge, PORTAL.origin(), PORTAL.id())),
            PORTAL,
            challenge)
        .publicKeyCose();
  }
}
