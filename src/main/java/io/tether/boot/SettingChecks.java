package io.tether.boot;

import io.tether.net.Cidr;
import io.tether.net.IpLiteral;
import io.tether.net.PortRange;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks {@link Setting}s are declared with. Each throws a {@link SettingException} whose
 * message names the variable and the reason in one line.
 */
final class SettingChecks {
  /** What other users may not do with a secret file. */
  private static final Set<PosixFilePermission> OTHERS =
      Set.of(
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /** The levels TETHER_LOG_LEVEL accepts: Quarkus' names for them. */
  static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /** The values of a switch such as TETHER_LINK_PROXY_PROTOCOL. */
  static final List<String> SWITCH_VALUES = List.of("on", "off");

  /** What a recorder that cannot keep up does ({@code SessionHubs} reads the setting). */
  static final List<String> OVERFLOW_POLICIES = List.of("gap", "end");

  private SettingChecks() {}

  /** Any value: Quarkus or the feature that reads the setting interprets it. */
  static void any(String variable, String value) {}

  static void port(String variable, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SettingException(variable, "'" + value + "' is not a port (1-65535)");
  }

  /** Creates the directory if missing and proves it writable with a probe file. */
  static void writableDirectory(String variable, String value) {
    Path dir = absolute(value);
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new SettingException(
          variable, dir + " is not a writable directory (" + reason(e) + ")");
    }
  }

  static void semanticVersion(String variable, String value) {
    if (io.tether.protocol.SemanticVersion.parse(value).isEmpty()) {
      throw new SettingException(
          variable, "'" + value + "' is not a version such as 0.2.0 (MAJOR.MINOR.PATCH)");
    }
  }

  static void readableDirectory(String variable, String value) {
    Path dir = absolute(value);
    if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
      throw new SettingException(variable, dir + " is not a readable directory");
    }
  }

  static void readableFile(String variable, String value) {
    Path file = absolute(value);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new SettingException(variable, file + " is not a readable file");
    }
  }

  /**
   * The shared secret.key: an absolute path (a relative one would depend on where the portal is
   * started), a readable file with a valid key, and no access for other users, as ssh demands of a
   * private key: it keys every token hash.
   */
  static void secretKeyFile(String variable, String value) {
    Path file = Path.of(value);
    if (!file.isAbsolute()) {
      throw new SettingException(variable, "'" + value + "' is not an absolute path");
    }
    readableFile(variable, value);
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.stream().anyMatch(OTHERS::contains)) {
        throw new SettingException(
            variable,
            "permissions "
                + PosixFilePermissions.toString(mode)
                + " for "
                + file
                + " are too open: other users may read or change it, and it keys every token hash"
                + " (chmod 600, or 640 for a group of the portal's)");
      }
      NodeIdentity.decodeSecret(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new SettingException(variable, file + " is not a secret.key: " + e.getMessage());
    } catch (IOException e) {
      throw new SettingException(variable, file + " cannot be read (" + reason(e) + ")");
    }
  }

  static void postgresJdbcUrl(String variable, String value) {
    if (!value.startsWith("jdbc:postgresql://")) {
      throw new SettingException(
          variable, "must look like jdbc:postgresql://HOST:PORT/DATABASE (PostgreSQL only)");
    }
  }

  static void httpUrl(String variable, String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new SettingException(variable, "'" + value + "' is not an http(s) URL");
  }

  static void logLevel(String variable, String value) {
    if (!LOG_LEVELS.contains(value.toUpperCase(Locale.ROOT))) {
      throw new SettingException(variable, "'" + value + "' is not one of " + LOG_LEVELS);
    }
  }

  static void positiveDuration(String variable, String value) {
    Duration parsed;
    try {
      parsed = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new SettingException(
          variable, "'" + value + "' is not a duration (examples: 500ms, 20s, 15m, 1h)");
    }
    if (parsed.isNegative() || parsed.isZero()) {
      throw new SettingException(variable, "'" + value + "' must be a positive duration");
    }
  }

  /** Comma-separated positive durations, e.g. a retry schedule. */
  static void positiveDurations(String variable, String value) {
    for (String entry : value.split(",")) {
      positiveDuration(variable, entry.trim());
    }
  }

  static void positiveInteger(String variable, String value) {
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new SettingException(variable, "'" + value + "' is not a whole number");
    }
    if (parsed < 1) {
      throw new SettingException(variable, "'" + value + "' must be at least 1");
    }
  }

  /** bcrypt's cost (log2 of its rounds): 4 is bcrypt's floor, 14 about a second per sign-in. */
  static final int BCRYPT_COST_MIN = 4;

  static final int BCRYPT_COST_MAX = 14;

  static void bcryptCost(String variable, String value) {
    try {
      int cost = Integer.parseInt(value);
      if (cost >= BCRYPT_COST_MIN && cost <= BCRYPT_COST_MAX) {
        return;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SettingException(
        variable,
        "'" + value + "' is not a bcrypt cost from " + BCRYPT_COST_MIN + " to " + BCRYPT_COST_MAX);
  }

  static void trueFalse(String variable, String value) {
    oneOf(variable, value, List.of("true", "false"));
  }

  static void positiveBytes(String variable, String value) {
    try {
      if (Long.parseLong(value) > 0) {
        return;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SettingException(variable, "'" + value + "' is not a positive number of bytes");
  }

  static void overflowPolicy(String variable, String value) {
    oneOf(variable, value, OVERFLOW_POLICIES);
  }

  static void smtpSecurity(String variable, String value) {
    oneOf(variable, value, List.of("starttls", "tls", "none"));
  }

  static void onOff(String variable, String value) {
    oneOf(variable, value, SWITCH_VALUES);
  }

  private static void oneOf(String variable, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new SettingException(
          variable, "'" + value + "' is not one of " + String.join(", ", allowed));
    }
  }

  static void portRange(String variable, String value) {
    try {
      PortRange.parse(value);
    } catch (IllegalArgumentException e) {
      throw new SettingException(variable, e.getMessage());
    }
  }

  /** A listen address is an IP literal: a host name would be resolved through DNS. */
  static void ipLiteral(String variable, String value) {
    try {
      IpLiteral.parse(value);
    } catch (IllegalArgumentException e) {
      throw new SettingException(variable, e.getMessage());
    }
  }

  /** Comma-separated IP literals or CIDR blocks, as {@code ClientAddress} reads them. */
  static void ipLiteralsOrCidrs(String variable, String value) {
    for (String entry : value.split(",")) {
      if (!entry.isBlank()) {
        try {
          Cidr.parse(entry);
        } catch (IllegalArgumentException e) {
          throw new SettingException(variable, e.getMessage());
        }
      }
    }
  }

  /** A path as the portal uses it: absolute and normalised. */
  static Path absolute(String value) {
    return Path.of(value).toAbsolutePath().normalize();
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null ? type : type + ": " + message;
  }
}
