package io.tether.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's settings from its command line and environment (flags win). {@code token} is null
 * when the device token is still to come from the state dir or from enrolling ({@code enroll}).
 */
public record AgentOptions(
    URI portal,
    String token,
    List<TargetSpec> targets,
    Path stateDir,
    URI proxy,
    Path ca,
    EnrollRequest enroll,
    Path upgradeKey) {
  /**
   * Enroll as {@code name} with the enrollment token in {@code tokenFile} ("-": standard input),
   * unless the state dir already holds the device's own token.
   */
  public record EnrollRequest(String tokenFile, String name) {}

  /** These options with the device token settled. */
  public AgentOptions withToken(String deviceToken) {
    return new AgentOptions(portal, deviceToken, targets, stateDir, proxy, ca, enroll, upgradeKey);
  }

  /** Thrown for a bad command line; the message is one line for the user. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static AgentOptions parse(List<String> args, Map<String, String> env)
      throws UsageException {
    String portal = env.get("TETHER_PORTAL");
    String token = env.get("TETHER_TOKEN");
    String tokenFile = null;
    String stateDir = env.getOrDefault("TETHER_STATE_DIR", null);
    String proxy = env.get("TETHER_PROXY");
    String ca = env.get("TETHER_CA");
    String enrollTokenFile = null;
    String name = null;
    String upgradeKey = null;
    List<TargetSpec> targets = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      String value = i + 1 < args.size() ? args.get(i + 1) : null;
      if (value == null && flag.startsWith("--")) {
        throw new UsageException(flag + " needs a value");
      }
      switch (flag) {
        case "--portal" -> portal = value;
        case "--token" -> token = value;
        case "--token-file" -> tokenFile = value;
        case "--enroll-token-file" -> enrollTokenFile = value;
        case "--name" -> name = value;
        case "--target" -> {
          try {
            targets.add(TargetSpec.parse(value));
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
        }
        case "--state-dir" -> stateDir = value;
        case "--proxy" -> proxy = value;
        case "--ca" -> ca = value;
        case "--upgrade-key" -> upgradeKey = value;
        default -> throw new UsageException("unknown option " + flag + " (see --help)");
      }
      i++;
    }
    if (portal == null) {
      throw new UsageException(
          "--portal (or TETHER_PORTAL) is required, e.g. wss://portal.example.com/tunnel");
    }
    URI portalUri = URI.create(portal);
    if (!"ws".equals(portalUri.getScheme()) && !"wss".equals(portalUri.getScheme())) {
      throw new UsageException("--portal must be a ws:// or wss:// URL ending in /tunnel");
    }
    if (name != null && enrollTokenFile == null) {
      throw new UsageException("--name names the device when enrolling: add --enroll-token-file");
    }
    if (enrollTokenFile != null && name == null) {
      throw new UsageException("--enroll-token-file needs --name NAME, the device's name");
    }
    Path state =
        stateDir != null
            ? Path.of(stateDir)
            : Path.of(System.getProperty("user.home"), ".tether-agent");
    // the packaged unit always names /etc/tether/agent.token; an enrolled device has none
    boolean enrolls = enrollTokenFile != null || EnrolledToken.exists(state);
    if (tokenFile != null && (Files.exists(Path.of(tokenFile)) || !enrolls)) {
      try {
        token = Files.readString(Path.of(tokenFile)).trim();
      } catch (IOException e) {
        throw new UsageException("cannot read --token-file " + tokenFile + ": " + e.getMessage());
      }
    }
    if (token != null && token.isBlank()) {
      token = null;
    }
    if (token == null && !enrolls) {
      throw new UsageException(
          "a device token is required: --token-file FILE, --token or TETHER_TOKEN"
              + " (or enroll: --enroll-token-file FILE --name NAME)");
    }
    if (targets.size() > io.tether.protocol.ProtocolLimits.MAX_TARGETS) {
      throw new UsageException(
          "at most " + io.tether.protocol.ProtocolLimits.MAX_TARGETS + " targets per agent");
    }
    if (targets.stream().map(TargetSpec::name).distinct().count() != targets.size()) {
      throw new UsageException("two --target options use the same name");
    }
    if (targets.isEmpty()) {
      throw new UsageException(
          "offer at least one --target NAME=serial:PATH or NAME=tcp:HOST:PORT");
    }
    return new AgentOptions(
        portalUri,
        token,
        List.copyOf(targets),
        state,
        proxy == null ? null : URI.create(proxy),
        ca == null ? null : Path.of(ca),
        enrollTokenFile == null ? null : new EnrollRequest(enrollTokenFile, name),
        upgradeKey == null ? null : Path.of(upgradeKey));
  }
}
