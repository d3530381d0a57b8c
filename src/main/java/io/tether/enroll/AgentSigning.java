package io.tether.enroll;

import io.tether.boot.NodeIdentity;
import io.tether.relay.Hkdf;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * The Ed25519 key the portal signs its agent jar with. It is derived from the node's {@code
 * secret.key} (HKDF-SHA-256 with its own label), so every node of a cluster, which shares that
 * secret, holds the same key without any setup, and the key says nothing about the secret's other
 * uses. Agents are installed with its public half ({@code /downloads/agent-signing.pub}).
 */
@ApplicationScoped
public class AgentSigning {
  /** HKDF info: this key and no other is derived under it. */
  static final String KEY_LABEL = "tether agent-upgrade signing key v1";

  private static final int SEED_BYTES = 32;

  private final KeyPair keys;

  @Inject
  AgentSigning(NodeIdentity identity) {
    this(identity.secret());
  }

  AgentSigning(byte[] secret) {
    this.keys = keyPair(secret);
  }

  /** The key pair of {@code secret}: the same secret always gives the same pair. */
  static KeyPair keyPair(byte[] secret) {
    byte[] seed =
        Hkdf.derive(secret, new byte[0], KEY_LABEL.getBytes(StandardCharsets.US_ASCII), SEED_BYTES);
    try {
      // Java 17 has no public-from-private call for EdDSA; its generator takes the 32-byte private
      // key from the random source, so a source that yields the seed yields the seed's key pair.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new Seeded(seed));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 17", e);
    }
  }

  /** Signs {@code message} (an AgentUpgrade statement): 64 bytes. */
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519", e);
    }
  }

  /** The public key as PEM (SubjectPublicKeyInfo), as openssl and the agent read it. */
  public String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** A random source that returns the seed, once: key generation asks for exactly that. */
  private static final class Seeded extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private transient byte[] seed;

    Seeded(byte[] seed) {
      this.seed = seed;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (seed == null || bytes.length != seed.length) {
        throw new IllegalStateException("the seed is for one 32-byte private key only");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
      seed = null;
    }
  }
}
