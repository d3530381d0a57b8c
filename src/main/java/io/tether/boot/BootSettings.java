package io.tether.boot;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the process needs before Quarkus starts, read from the environment. Every declared
 * {@link Setting} is validated here, so that a bad value stops the start with one line naming the
 * variable.
 */
public record BootSettings(
    int httpPort,
    int managementPort,
    Path dataDir,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    String dbEmbeddedAs,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey) {

  public static BootSettings fromEnvironment(Map<String, String> env) {
    for (Setting setting : Setting.values()) {
      setting.read(env).ifPresent(setting::check);
    }
    Optional<Path> cert = Setting.TLS_CERT.read(env).map(SettingChecks::absolute);
    Optional<Path> key = Setting.TLS_KEY.read(env).map(SettingChecks::absolute);
    if (cert.isPresent() != key.isPresent()) {
      Setting missing = cert.isPresent() ? Setting.TLS_KEY : Setting.TLS_CERT;
      throw new SettingException(
          missing.variable(), "must be set together with its pair to serve HTTPS");
    }
    return new BootSettings(
        Integer.parseInt(withDefault(env, Setting.HTTP_PORT)),
        Integer.parseInt(withDefault(env, Setting.MANAGEMENT_PORT)),
        SettingChecks.absolute(withDefault(env, Setting.DATA_DIR)),
        Setting.DB_URL.read(env),
        Setting.DB_USER.read(env),
        Setting.DB_PASSWORD.read(env),
        withDefault(env, Setting.DB_EMBEDDED_AS),
        cert,
        key);
  }

  public boolean tls() {
    return tlsCert.isPresent();
  }

  /** The value of a setting that has a default, so is never empty. */
  private static String withDefault(Map<String, String> env, Setting setting) {
    return setting.read(env).orElseThrow();
  }
}
