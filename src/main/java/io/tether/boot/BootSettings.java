package io.tether.boot;

import io.tether.net.IpLiteral;
import java.net.URI;
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
    Optional<Path> tlsKey,
    Optional<String> nodeUrl,
    Optional<Path> secretKeyFile) {

  public static BootSettings fromEnvironment(Map<String, String> env) {
    for (Setting setting : Setting.values()) {
      setting.read(env).ifPresent(setting::check);
    }
    OidcProviderSettings.fromEnvironment(env);
    Optional<Path> cert = Setting.TLS_CERT.read(env).map(SettingChecks::absolute);
    Optional<Path> key = Setting.TLS_KEY.read(env).map(SettingChecks::absolute);
    if (cert.isPresent() != key.isPresent()) {
      Setting missing = cert.isPresent() ? Setting.TLS_KEY : Setting.TLS_CERT;
      throw new SettingException(
          missing.variable(), "must be set together with its pair to serve HTTPS");
    }
    Optional<String> nodeUrl = Setting.NODE_URL.read(env);
    if (nodeUrl.isPresent()) {
      clusterNeeds(Setting.DB_URL.read(env).isPresent(), URI.create(nodeUrl.get()));
      relayTlsNeeds(env, URI.create(nodeUrl.get()));
    }
    Setting.WEB_DOMAIN
        .read(env)
        .ifPresent(
            web ->
                WebDomain.check(
                    web,
                    Setting.PUBLIC_URL.read(env),
                    withDefault(env, Setting.WEB_DOMAIN_INSECURE_LOOPBACK_FOR_TESTS)
                        .equals("true")));
    behindBalancer(env, Setting.LINK_PROXY_PROTOCOL, Setting.LINK_BIND);
    behindBalancer(env, Setting.INGRESS_PROXY_PROTOCOL, Setting.INGRESS_BIND);
    int httpPort = Integer.parseInt(withDefault(env, Setting.HTTP_PORT));
    int managementPort = Integer.parseInt(withDefault(env, Setting.MANAGEMENT_PORT));
    if (httpPort == managementPort) {
      throw new SettingException(
          Setting.MANAGEMENT_PORT.variable(),
          "is "
              + managementPort
              + ", the same as "
              + Setting.HTTP_PORT.variable()
              + ": metrics get a port of their own");
    }
    return new BootSettings(
        httpPort,
        managementPort,
        SettingChecks.absolute(withDefault(env, Setting.DATA_DIR)),
        Setting.DB_URL.read(env),
        Setting.DB_USER.read(env),
        Setting.DB_PASSWORD.read(env),
        withDefault(env, Setting.DB_EMBEDDED_AS),
        cert,
        key,
        nodeUrl,
        Setting.SECRET_KEY_FILE.read(env).map(SettingChecks::absolute));
  }

  /** True when this portal is one node of several (it has an internal URL). */
  public boolean cluster() {
    return nodeUrl.isPresent();
  }

  /**
   * Cluster mode shares one external PostgreSQL, and peer traffic leaves the machine only over TLS
   * (assertions and device bytes cross that link).
   */
  private static void clusterNeeds(boolean externalDatabase, URI nodeUrl) {
    if (!externalDatabase) {
      throw new SettingException(
          Setting.NODE_URL.variable(),
          "cluster mode needs one PostgreSQL shared by every node: set TETHER_DB_URL");
    }
    if ("http".equalsIgnoreCase(nodeUrl.getScheme()) && !loopback(nodeUrl.getHost())) {
      throw new SettingException(
          Setting.NODE_URL.variable(),
          "'"
              + nodeUrl
              + "' is plain http to a non-loopback address: peers talk https:// (the relay"
              + " carries credentials and device bytes)");
    }
  }

  /**
   * An {@code https://} node URL is served with the node's own certificate, and peers are trusted
   * only when the cluster's CA signed them: all three files are needed, and none without https.
   */
  private static void relayTlsNeeds(Map<String, String> env, URI nodeUrl) {
    boolean https = "https".equalsIgnoreCase(nodeUrl.getScheme());
    for (Setting s : new Setting[] {Setting.NODE_TLS_CERT, Setting.NODE_TLS_KEY, Setting.NODE_CA}) {
      if (https && s.read(env).isEmpty()) {
        throw new SettingException(
            s.variable(),
            "is needed with an https:// TETHER_NODE_URL (the relay listener serves TLS with"
                + " TETHER_NODE_TLS_CERT and TETHER_NODE_TLS_KEY and trusts peers signed by"
                + " TETHER_NODE_CA)");
      }
    }
  }

  /**
   * A PROXY header names whatever client its sender likes, so with it on the ports must be
   * reachable by the balancer only: bound to a specific internal address, never every interface.
   * And a header is believed only from a trusted proxy, so one must be named.
   */
  private static void behindBalancer(Map<String, String> env, Setting proxyProtocol, Setting bind) {
    if (!withDefault(env, proxyProtocol).equals("on")) {
      return;
    }
    String address = withDefault(env, bind);
    if (IpLiteral.parse(address).isAnyLocalAddress()) {
      throw new SettingException(
          proxyProtocol.variable(),
          "on needs "
              + bind.variable()
              + " set to an internal address that only the balancer reaches, not "
              + address
              + ": the ports must be reachable only by the balancer (a PROXY header names any"
              + " client its sender likes)");
    }
    boolean noProxy =
        Setting.TRUSTED_PROXIES.read(env).stream()
            .flatMap(v -> java.util.Arrays.stream(v.split(",")))
            .allMatch(String::isBlank);
    if (noProxy) {
      throw new SettingException(
          proxyProtocol.variable(),
          "on needs "
              + Setting.TRUSTED_PROXIES.variable()
              + " to name the balancer: a PROXY header is believed only from a trusted proxy");
    }
  }

  private static boolean loopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost")
        || (IpLiteral.isLiteral(h) && IpLiteral.parse(h).isLoopbackAddress());
  }

  public boolean tls() {
    return tlsCert.isPresent();
  }

  /** The value of a setting that has a default, so is never empty. */
  private static String withDefault(Map<String, String> env, Setting setting) {
    return setting.read(env).orElseThrow();
  }
}
