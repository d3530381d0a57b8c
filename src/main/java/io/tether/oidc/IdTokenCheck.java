package io.tether.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

/**
 * The checks of an ID token (OpenID Connect Core 3.1.3.7): signed by a key of the provider's JWKS
 * with an asymmetric algorithm that key allows (never {@code none}, never an HMAC keyed with a
 * public value), from the configured issuer, for our client, not expired, carrying the nonce of
 * this flow. Pure: the keys and the time come in.
 */
final class IdTokenCheck {
  /** Clock difference tolerated between the provider and us. */
  static final int CLOCK_SKEW_SECONDS = 60;

  private static final Set<String> RSA =
      Set.of(
          AlgorithmIdentifiers.RSA_USING_SHA256,
          AlgorithmIdentifiers.RSA_USING_SHA384,
          AlgorithmIdentifiers.RSA_USING_SHA512,
          AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
          AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
          AlgorithmIdentifiers.RSA_PSS_USING_SHA512);
  private static final Map<String, String> EC =
      Map.of(
          "P-256", AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
          "P-384", AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
          "P-521", AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);

  private IdTokenCheck() {}

  /** What a good ID token says: who, and how they authenticated. */
  record Identity(String issuer, String subject, JwtClaims claims, List<String> amr) {}

  /**
   * The identity of a good token; an {@link SsoRefusal} ({@link SsoRefusal#TOKEN}) naming the
   * failed check otherwise.
   */
  static Identity verify(
      String idToken,
      JsonWebKeySet keys,
      String issuer,
      String clientId,
      String nonce,
      Instant now) {
    Set<String> algorithms = algorithms(keys);
    if (algorithms.isEmpty()) {
      throw refused("the provider's JWKS has no signing key we accept");
    }
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setRequireExpirationTime()
            .setRequireSubject()
            .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
            .setExpectedIssuer(true, issuer)
            .setExpectedAudience(true, clientId)
            .setEvaluationTime(NumericDate.fromMilliseconds(now.toEpochMilli()))
            .setJwsAlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, algorithms.toArray(String[]::new))
            .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
            .build();
    JwtClaims claims;
    try {
      claims = consumer.processToClaims(idToken);
    } catch (InvalidJwtException e) {
      throw refused(why(e));
    }
    try {
      List<String> audience = claims.getAudience();
      if (audience.size() > 1 && !clientId.equals(claims.getClaimValueAsString("azp"))) {
        throw refused("ID token has several audiences and azp is not our client");
      }
      String sent = claims.getClaimValueAsString("nonce");
      if (sent == null
          || !MessageDigest.isEqual(
              sent.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
        throw refused("ID token nonce does not match this sign-in (a replayed token?)");
      }
      List<String> amr =
          claims.isClaimValueStringList("amr") ? claims.getStringListClaimValue("amr") : List.of();
      return new Identity(claims.getIssuer(), claims.getSubject(), claims, amr);
    } catch (MalformedClaimException e) {
      throw refused("ID token has a malformed claim: " + e.getMessage());
    }
  }

  /** The algorithms the JWKS allows: each signing key's own {@code alg}, else its type's. */
  static Set<String> algorithms(JsonWebKeySet keys) {
    Set<String> allowed = new LinkedHashSet<>();
    for (JsonWebKey key : keys.getJsonWebKeys()) {
      if (key.getUse() != null && !key.getUse().equals("sig")) {
        continue;
      }
      Set<String> ofType = Set.of();
      if (key instanceof RsaJsonWebKey) {
        ofType = RSA;
      } else if (key instanceof EllipticCurveJsonWebKey ec && EC.containsKey(ec.getCurveName())) {
        ofType = Set.of(EC.get(ec.getCurveName()));
      }
      if (key.getAlgorithm() == null) {
        allowed.addAll(ofType);
      } else if (ofType.contains(key.getAlgorithm())) {
        allowed.add(key.getAlgorithm());
      }
    }
    return allowed;
  }

  private static String why(InvalidJwtException e) {
    if (e.hasExpired()) {
      return "ID token has expired";
    }
    if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
      return "ID token is from another issuer";
    }
    if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)
        || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
      return "ID token is for another client (audience)";
    }
    if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)
        || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
      return "ID token signature does not verify";
    }
    if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)
        || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
      return "ID token lacks exp or sub";
    }
    if (e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)
        || e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
      return "ID token is not valid yet";
    }
    // the library's own messages may quote the token: name the error code only
    return "ID token refused (check "
        + e.getErrorDetails().stream()
            .map(d -> String.valueOf(d.getErrorCode()))
            .findFirst()
            .orElse("malformed")
        + ")";
  }

  private static SsoRefusal refused(String detail) {
    return new SsoRefusal(SsoRefusal.TOKEN, detail);
  }
}
