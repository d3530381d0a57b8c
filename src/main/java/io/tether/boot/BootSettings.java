package io.tether.boot;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the process needs before Quarkus starts, read from the environment and validated so
 * that a bad value stops the start with one line naming the variable.
 */
public record BootSettings(
    int httpPort,
    int managementPort,
    Path dataDir,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey) {

  /**
   * Durations that later features read through Quarkus config; validated here for one-line errors.
   */
  static final List<String> DURATION_VARIABLES =
      List.of(
          "TETHER_HEARTBEAT",
          "TETHER_DEAD_AFTER",
          "TETHER_PRESENCE_INTERVAL",
          "TETHER_SESSION_IDLE_TIMEOUT",
          "TETHER_SESSION_ABSOLUTE_TIMEOUT",
          "TETHER_LOGIN_LOCKOUT_WINDOW",
          "TETHER_LOGIN_LOCKOUT_DURATION",
          "TETHER_RECORDING_FLUSH",
          "TETHER_RECORDING_RETENTION",
          "TETHER_SHUTDOWN_RETRY_AFTER",
          "TETHER_INGRESS_GUESS_WINDOW");

  static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  public static BootSettings fromEnvironment(Map<String, String> env) {
    int httpPort = port(env, "TETHER_HTTP_PORT", 8080);
    int managementPort = port(env, "TETHER_MANAGEMENT_PORT", 9000);
    Path dataDir = writableDir(env, "TETHER_DATA_DIR", "./data");
    Optional<String> dbUrl = optional(env, "TETHER_DB_URL");
    dbUrl.ifPresent(BootSettings::checkJdbcUrl);
    Optional<Path> cert = optional(env, "TETHER_TLS_CERT").map(v -> readable("TETHER_TLS_CERT", v));
    Optional<Path> key = optional(env, "TETHER_TLS_KEY").map(v -> readable("TETHER_TLS_KEY", v));
    if (cert.isPresent() != key.isPresent()) {
      String missing = cert.isPresent() ? "TETHER_TLS_KEY" : "TETHER_TLS_CERT";
      throw new SettingException(missing, "must be set together with its pair to serve HTTPS");
    }
    optional(env, "TETHER_PUBLIC_URL").ifPresent(BootSettings::checkPublicUrl);
    optional(env, "TETHER_LOG_LEVEL").ifPresent(BootSettings::checkLogLevel);
    for (String variable : DURATION_VARIABLES) {
      optional(env, variable).ifPresent(v -> checkDuration(variable, v));
    }
    optional(env, "TETHER_RECORDING_MAX_BYTES")
        .ifPresent(v -> checkPositiveLong("TETHER_RECORDING_MAX_BYTES", v));
    optional(env, "TETHER_RECORDING_ON_OVERFLOW").ifPresent(BootSettings::checkOverflowPolicy);
    optional(env, "TETHER_LINK_PORTS")
        .ifPresent(v -> io.tether.net.PortRange.parse("TETHER_LINK_PORTS", v));
    optional(env, "TETHER_INGRESS_PORTS")
        .ifPresent(v -> io.tether.net.PortRange.parse("TETHER_INGRESS_PORTS", v));
    for (String variable : List.of("TETHER_LINK_BIND", "TETHER_INGRESS_BIND")) {
      optional(env, variable).ifPresent(v -> checkIpLiteral(variable, v));
    }
    optional(env, "TETHER_TRUSTED_PROXIES").ifPresent(BootSettings::checkTrustedProxies);
    return new BootSettings(
        httpPort,
        managementPort,
        dataDir,
        dbUrl,
        optional(env, "TETHER_DB_USER"),
        optional(env, "TETHER_DB_PASSWORD"),
        cert,
        key);
  }

  /** A listen address is an IP literal: a host name would be resolved through DNS. */
  static void checkIpLiteral(String variable, String value) {
    try {
      io.tether.net.IpLiteral.parse(value);
    } catch (IllegalArgumentException e) {
      throw new SettingException(variable, e.getMessage());
    }
  }

  /** Comma-separated IP literals or CIDR blocks, as {@code ClientAddress} reads them. */
  static void checkTrustedProxies(String value) {
    for (String entry : value.split(",")) {
      if (!entry.isBlank()) {
        try {
          io.tether.access.Cidr.parse(entry);
        } catch (IllegalArgumentException e) {
          throw new SettingException("TETHER_TRUSTED_PROXIES", e.getMessage());
        }
      }
    }
  }

  public boolean tls() {
    return tlsCert.isPresent();
  }

  private static Optional<String> optional(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static int port(Map<String, String> env, String variable, int fallback) {
    Optional<String> value = optional(env, variable);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.get());
      if (port < 1 || port > 65535) {
        throw new SettingException(variable, "'" + value.get() + "' is not a port (1-65535)");
      }
      return port;
    } catch (NumberFormatException e) {
      throw new SettingException(variable, "'" + value.get() + "' is not a port (1-65535)");
    }
  }

  static Path writableDir(Map<String, String> env, String variable, String fallback) {
    Path dir = Path.of(optional(env, variable).orElse(fallback)).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new SettingException(
          variable, dir + " is not a writable directory (" + reason(e) + ")");
    }
    return dir;
  }

  private static Path readable(String variable, String value) {
    Path file = Path.of(value).toAbsolutePath();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new SettingException(variable, file + " is not a readable file");
    }
    return file;
  }

  private static void checkJdbcUrl(String url) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new SettingException(
          "TETHER_DB_URL", "must look like jdbc:postgresql://HOST:PORT/DATABASE (PostgreSQL only)");
    }
  }

  private static void checkPublicUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new SettingException("TETHER_PUBLIC_URL", "'" + value + "' is not an http(s) URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new SettingException("TETHER_PUBLIC_URL", "'" + value + "' is not an http(s) URL");
    }
  }

  private static void checkLogLevel(String value) {
    if (!LOG_LEVELS.contains(value.toUpperCase(Locale.ROOT))) {
      throw new SettingException("TETHER_LOG_LEVEL", "'" + value + "' is not one of " + LOG_LEVELS);
    }
  }

  static void checkDuration(String variable, String value) {
    try {
      Duration parsed = Durations.parse(value);
      if (parsed.isNegative() || parsed.isZero()) {
        throw new SettingException(variable, "'" + value + "' must be a positive duration");
      }
    } catch (IllegalArgumentException e) {
      throw new SettingException(
          variable, "'" + value + "' is not a duration (examples: 500ms, 20s, 15m, 1h)");
    }
  }

  private static void checkPositiveLong(String variable, String value) {
    try {
      if (Long.parseLong(value) > 0) {
        return;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SettingException(variable, "'" + value + "' is not a positive number of bytes");
  }

  private static void checkOverflowPolicy(String value) {
    if (!value.equals("gap") && !value.equals("end")) {
      throw new SettingException(
          "TETHER_RECORDING_ON_OVERFLOW", "'" + value + "' is not one of gap, end");
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null ? type : type + ": " + message;
  }
}
