package io.tether.enroll;

import io.tether.protocol.AgentUpgrade;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HexFormat;
import java.util.Optional;

/** The agent jar this portal serves, as an upgrade offer: version, size, SHA-256, signature. */
@ApplicationScoped
public class SignedAgent {
  @Inject AgentDownloads downloads;
  @Inject AgentSigning signing;

  /**
   * The offer for the jar in the downloads dir; empty when there is no jar, or it names no version,
   * or it is larger than an agent accepts.
   */
  public Optional<AgentUpgrade> offer() {
    Optional<AgentDownloads.Download> jar = downloads.jar();
    if (jar.isEmpty() || jar.get().size() > AgentUpgrade.MAX_JAR_BYTES) {
      return Optional.empty();
    }
    AgentDownloads.Download d = jar.get();
    return downloads
        .jarVersion(d)
        .map(
            version -> {
              byte[] sha = HexFormat.of().parseHex(d.sha256());
              byte[] signature = signing.sign(AgentUpgrade.statement(version, d.size(), sha));
              return new AgentUpgrade(version, d.size(), sha, signature);
            });
  }

  public String publicKeyPem() {
    return signing.publicKeyPem();
  }
}
