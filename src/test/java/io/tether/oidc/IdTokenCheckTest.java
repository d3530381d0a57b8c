package io.tether.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each check of an ID token, one test per rule: a token failing it is refused, naming why. */
class IdTokenCheckTest {
  static final String ISSUER = "https://idp.example.com/corp";
  static final String CLIENT = "tether";
  static final String NONCE = "n-0S6_WzA2Mj";
  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  static RsaJsonWebKey key;
  static RsaJsonWebKey otherKey;
  static JsonWebKeySet keys;

  @BeforeAll
  static void keys() throws Exception {
    key = RsaJwkGenerator.generateJwk(2048);
    key.setKeyId("k1");
    key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
    otherKey = RsaJwkGenerator.generateJwk(2048);
    otherKey.setKeyId("k1");
    keys =
        new JsonWebKeySet(
            new RsaJsonWebKey(key.getRsaPublicKey()) {
              {
                setKeyId("k1");
                setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
              }
            });
  }

  static JwtClaims claims() {
    JwtClaims c = new JwtClaims();
    c.setIssuer(ISSUER);
    c.setAudience(CLIENT);
    c.setSubject("248289761001");
    c.setIssuedAt(NumericDate.fromMilliseconds(NOW.minusSeconds(10).toEpochMilli()));
    c.setExpirationTime(NumericDate.fromMilliseconds(NOW.plusSeconds(300).toEpochMilli()));
    c.setClaim("nonce", NONCE);
    c.setStringListClaim("amr", "pwd", "mfa");
    return c;
  }

  static String signed(JwtClaims c, RsaJsonWebKey with) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(c.toJson());
    jws.setKey(with.getPrivateKey());
    jws.setKeyIdHeaderValue("k1");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    return jws.getCompactSerialization();
  }

  static String token(Consumer<JwtClaims> change) throws Exception {
    JwtClaims c = claims();
    change.accept(c);
    return signed(c, key);
  }

  static IdTokenCheck.Identity verify(String token) {
    return IdTokenCheck.verify(token, keys, ISSUER, CLIENT, NONCE, NOW);
  }

  static void refusedBecause(String token, String why) {
    SsoRefusal r = assertThrows(SsoRefusal.class, () -> verify(token));
    assertEquals(SsoRefusal.TOKEN, r.reason());
    assertTrue(r.getMessage().contains(why), r.getMessage());
  }

  @Test
  void aGoodTokenGivesIssuerSubjectAndAmr() throws Exception {
    IdTokenCheck.Identity id = verify(token(c -> {}));
    assertEquals(ISSUER, id.issuer());
    assertEquals("248289761001", id.subject());
    assertEquals(List.of("pwd", "mfa"), id.amr());
  }

  @Test
  void refusesAnotherIssuersToken() throws Exception {
    refusedBecause(token(c -> c.setIssuer("https://idp.example.com/other")), "another issuer");
  }

  @Test
  void refusesATokenForAnotherAudience() throws Exception {
    refusedBecause(token(c -> c.setAudience("someone-else")), "another client");
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    refusedBecause(
        token(
            c ->
                c.setExpirationTime(
                    NumericDate.fromMilliseconds(NOW.minusSeconds(120).toEpochMilli()))),
        "expired");
  }

  @Test
  void refusesAnotherFlowsNonce() throws Exception {
    refusedBecause(token(c -> c.setClaim("nonce", "replayed")), "nonce");
    refusedBecause(token(c -> c.unsetClaim("nonce")), "nonce");
  }

  @Test
  void refusesASignatureOfAnotherKey() throws Exception {
    refusedBecause(signed(claims(), otherKey), "signature");
  }

  @Test
  void refusesAnUnsignedToken() throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims().toJson());
    jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
    assertThrows(SsoRefusal.class, () -> verify(jws.getCompactSerialization()));
  }

  @Test
  void refusesAnHmacKeyedWithThePublicKey() throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims().toJson());
    jws.setKey(new HmacKey(key.getRsaPublicKey().getEncoded()));
    jws.setKeyIdHeaderValue("k1");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    assertThrows(SsoRefusal.class, () -> verify(jws.getCompactSerialization()));
  }

  @Test
  void refusesSeveralAudiencesWithoutUsAsAuthorizedParty() throws Exception {
    refusedBecause(token(c -> c.setAudience(CLIENT, "another")), "azp");
    verify(
        token(
            c -> {
              c.setAudience(CLIENT, "another");
              c.setClaim("azp", CLIENT);
            }));
  }

  @Test
  void theAlgorithmsComeFromTheKeys() throws Exception {
    assertEquals(java.util.Set.of("RS256"), IdTokenCheck.algorithms(keys));
    RsaJsonWebKey noAlg = new RsaJsonWebKey(key.getRsaPublicKey());
    assertTrue(IdTokenCheck.algorithms(new JsonWebKeySet(noAlg)).contains("PS256"));
    assertTrue(IdTokenCheck.algorithms(new JsonWebKeySet()).isEmpty());
  }
}
