package io.tether.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootSettingsTest {
  @TempDir Path tmp;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_DATA_DIR", tmp.resolve("data").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static SettingException refused(Map<String, String> env) {
    return assertThrows(SettingException.class, () -> BootSettings.fromEnvironment(env));
  }

  @Test
  void defaultsNeedNoConfiguration() {
    BootSettings settings = BootSettings.fromEnvironment(env());
    assertEquals(8080, settings.httpPort());
    assertTrue(settings.dbUrl().isEmpty(), "no database URL means the embedded default");
    assertTrue(Files.isDirectory(tmp.resolve("data")), "the data dir is created");
  }

  @Test
  void rejectsPortThatIsNotANumber() {
    SettingException e = refused(env("TETHER_HTTP_PORT", "abc"));
    assertEquals("TETHER_HTTP_PORT", e.variable());
    assertTrue(e.getMessage().contains("'abc' is not a port"), e.getMessage());
  }

  @Test
  void theManagementPortIsNotTheHttpPort() {
    SettingException e =
        refused(env("TETHER_HTTP_PORT", "45275", "TETHER_MANAGEMENT_PORT", "45275"));
    assertEquals("TETHER_MANAGEMENT_PORT", e.variable());
    assertTrue(e.getMessage().contains("the same as TETHER_HTTP_PORT"), e.getMessage());
  }

  @Test
  void rejectsPortOutOfRange() {
    assertEquals("TETHER_HTTP_PORT", refused(env("TETHER_HTTP_PORT", "70000")).variable());
  }

  @Test
  void rejectsDataDirThatIsNotWritable() throws Exception {
    Path file = Files.createFile(tmp.resolve("a-file"));
    SettingException e = refused(env("TETHER_DATA_DIR", file.resolve("data").toString()));
    assertEquals("TETHER_DATA_DIR", e.variable());
    assertTrue(e.getMessage().contains("is not a writable directory"), e.getMessage());
  }

  @Test
  void rejectsTlsCertificateWithoutKey() throws Exception {
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
    assertEquals("TETHER_TLS_KEY", refused(env("TETHER_TLS_CERT", cert.toString())).variable());
  }

  @Test
  void rejectsNonPostgresDatabaseUrl() {
    assertEquals("TETHER_DB_URL", refused(env("TETHER_DB_URL", "jdbc:mysql://x/y")).variable());
  }

  @Test
  void clusterModeNeedsTheSharedExternalDatabase() {
    SettingException e = refused(env("TETHER_NODE_URL", "http://127.0.0.2:9090"));
    assertEquals("TETHER_NODE_URL", e.variable());
    assertTrue(e.getMessage().contains("set TETHER_DB_URL"), e.getMessage());
  }

  @Test
  void aNonLoopbackNodeUrlMustBeHttps() throws Exception {
    String db = "jdbc:postgresql://10.0.0.5:5432/tether";
    String pem = Files.writeString(tmp.resolve("node.pem"), "pem").toString();
    for (String url : new String[] {"http://10.0.0.7:9090", "http://node2.example:9090"}) {
      SettingException e = refused(env("TETHER_DB_URL", db, "TETHER_NODE_URL", url));
      assertEquals("TETHER_NODE_URL", e.variable());
      assertTrue(e.getMessage().contains("peers talk https://"), e.getMessage());
    }
    for (String url :
        new String[] {"http://127.0.0.2:9090", "http://[::1]:9090", "https://10.0.0.7:9090"}) {
      Map<String, String> env = env("TETHER_DB_URL", db, "TETHER_NODE_URL", url);
      if (url.startsWith("https")) {
        env.putAll(
            Map.of("TETHER_NODE_TLS_CERT", pem, "TETHER_NODE_TLS_KEY", pem, "TETHER_NODE_CA", pem));
      }
      assertTrue(BootSettings.fromEnvironment(env).cluster(), url);
    }
  }

  @Test
  void anHttpsNodeUrlNeedsTheNodeCertificateKeyAndClusterCa() throws Exception {
    Path pem = Files.writeString(tmp.resolve("x.pem"), "pem");
    String db = "jdbc:postgresql://db:5432/tether";
    String url = "https://10.0.0.11:9443";
    assertEquals(
        "TETHER_NODE_TLS_CERT",
        refused(env("TETHER_DB_URL", db, "TETHER_NODE_URL", url)).variable());
    assertEquals(
        "TETHER_NODE_CA",
        refused(
                env(
                    "TETHER_DB_URL",
                    db,
                    "TETHER_NODE_URL",
                    url,
                    "TETHER_NODE_TLS_CERT",
                    pem.toString(),
                    "TETHER_NODE_TLS_KEY",
                    pem.toString()))
            .variable());
  }

  @Test
  void rejectsMalformedDuration() {
    SettingException e = refused(env("TETHER_HEARTBEAT", "soon"));
    assertEquals("TETHER_HEARTBEAT", e.variable());
  }

  @Test
  void aPasswordHashCostOutsideBcryptsUsefulRangeIsRefused() {
    for (String cost : new String[] {"3", "15", "ten"}) {
      SettingException e = refused(env("TETHER_PASSWORD_HASH_COST", cost));
      assertEquals("TETHER_PASSWORD_HASH_COST", e.variable());
      assertTrue(e.getMessage().contains("from 4 to 14"), e.getMessage());
    }
    BootSettings.fromEnvironment(env("TETHER_PASSWORD_HASH_COST", "4"));
    BootSettings.fromEnvironment(env("TETHER_PASSWORD_HASH_COST", "14"));
  }

  @Test
  void rejectsUnknownLogLevel() {
    assertEquals("TETHER_LOG_LEVEL", refused(env("TETHER_LOG_LEVEL", "LOUD")).variable());
  }

  @Test
  void acceptsShortDurationsForTests() {
    BootSettings.fromEnvironment(env("TETHER_HEARTBEAT", "500ms", "TETHER_DEAD_AFTER", "3s"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(3), Durations.parse("3s"));
    assertEquals(
        DurationConverter.parseDuration("500ms"),
        Durations.parse("500ms"),
        "the boot check reads a duration as TetherConfig will");
  }

  @Test
  void aBindAddressMustBeAnIpLiteral() {
    for (String variable : new String[] {"TETHER_LINK_BIND", "TETHER_INGRESS_BIND"}) {
      for (String name : new String[] {"cafe.de", "dead.beef", "localhost"}) {
        SettingException e = refused(env(variable, name));
        assertEquals(variable, e.variable());
        assertTrue(e.getMessage().contains("host names are not resolved"), e.getMessage());
      }
      for (String literal : new String[] {"0.0.0.0", "127.0.0.1", "::", "::1", "2001:db8::7"}) {
        BootSettings.fromEnvironment(env(variable, literal));
      }
    }
  }

  @Test
  void trustedProxiesAreIpLiteralsOrCidrBlocks() {
    for (String value : new String[] {"cafe.de", "127.0.0.1, dead.beef/32", "localhost"}) {
      SettingException e = refused(env("TETHER_TRUSTED_PROXIES", value));
      assertEquals("TETHER_TRUSTED_PROXIES", e.variable());
      assertTrue(e.getMessage().contains("host names are not resolved"), e.getMessage());
    }
    BootSettings.fromEnvironment(env("TETHER_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8, ::1"));
  }

  @Test
  void proxyProtocolIsOnOrOff() {
    for (String variable :
        new String[] {"TETHER_LINK_PROXY_PROTOCOL", "TETHER_INGRESS_PROXY_PROTOCOL"}) {
      SettingException e = refused(env(variable, "yes"));
      assertEquals(variable, e.variable());
      assertTrue(e.getMessage().contains("'yes' is not one of on, off"), e.getMessage());
      BootSettings.fromEnvironment(env(variable, "off"));
    }
  }

  @Test
  void proxyProtocolNeedsABindAddressOnlyTheBalancerReaches() {
    Map<String, String[]> pairs =
        Map.of(
            "TETHER_LINK_PROXY_PROTOCOL", new String[] {"TETHER_LINK_BIND"},
            "TETHER_INGRESS_PROXY_PROTOCOL", new String[] {"TETHER_INGRESS_BIND"});
    pairs.forEach(
        (proxy, bind) -> {
          for (String wildcard : new String[] {"0.0.0.0", "::"}) {
            SettingException e =
                refused(env(proxy, "on", bind[0], wildcard, "TETHER_TRUSTED_PROXIES", "10.0.0.2"));
            assertEquals(proxy, e.variable());
            assertTrue(
                e.getMessage().contains("the ports must be reachable only by the balancer")
                    && e.getMessage().contains(bind[0]),
                e.getMessage());
          }
          SettingException byDefault =
              refused(env(proxy, "on", "TETHER_TRUSTED_PROXIES", "10.0.0.2"));
          assertTrue(byDefault.getMessage().contains("not 0.0.0.0"), byDefault.getMessage());
          BootSettings.fromEnvironment(
              env(proxy, "on", bind[0], "10.0.0.5", "TETHER_TRUSTED_PROXIES", "10.0.0.2"));
        });
  }

  @Test
  void proxyProtocolNeedsTheBalancerAmongTheTrustedProxies() {
    for (String trusted : new String[] {null, " , "}) {
      Map<String, String> env =
          env("TETHER_LINK_PROXY_PROTOCOL", "on", "TETHER_LINK_BIND", "10.0.0.5");
      if (trusted != null) {
        env.put("TETHER_TRUSTED_PROXIES", trusted);
      }
      SettingException e = refused(env);
      assertEquals("TETHER_LINK_PROXY_PROTOCOL", e.variable());
      assertTrue(
          e.getMessage().contains("TETHER_TRUSTED_PROXIES to name the balancer"), e.getMessage());
    }
  }

  private Path secretKey(String mode, byte[] key) throws Exception {
    Path file = tmp.resolve("secret-" + mode + ".key");
    Files.write(file, java.util.Base64.getEncoder().encode(key));
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    return file;
  }

  @Test
  void aSecretKeyFileOnlyItsOwnerOrGroupMayReadIsTaken() throws Exception {
    for (String mode : new String[] {"rw-------", "r--r-----"}) {
      Path file = secretKey(mode, new byte[NodeIdentity.SECRET_BYTES]);
      assertEquals(
          Optional.of(file),
          BootSettings.fromEnvironment(env("TETHER_SECRET_KEY_FILE", file.toString()))
              .secretKeyFile());
    }
    assertTrue(BootSettings.fromEnvironment(env()).secretKeyFile().isEmpty(), "unset by default");
  }

  @Test
  void rejectsASecretKeyFileOtherUsersMayAccess() throws Exception {
    for (String mode : new String[] {"rw-r--r--", "rw-----w-", "rw-rw-rw-"}) {
      Path file = secretKey(mode, new byte[NodeIdentity.SECRET_BYTES]);
      SettingException e = refused(env("TETHER_SECRET_KEY_FILE", file.toString()));
      assertEquals("TETHER_SECRET_KEY_FILE", e.variable());
      assertTrue(
          e.getMessage().contains("permissions " + mode + " for " + file + " are too open"),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), "one line");
    }
  }

  @Test
  void rejectsASecretKeyFileThatIsRelativeMissingOrNotAKey() throws Exception {
    Map<String, String> cases =
        Map.of(
            "secret.key",
            "is not an absolute path",
            tmp.resolve("missing.key").toString(),
            "is not a readable file",
            secretKey("rw-------", new byte[16]).toString(),
            "holds 16 bytes, a secret.key holds 32");
    cases.forEach(
        (value, reason) -> {
          SettingException e = refused(env("TETHER_SECRET_KEY_FILE", value));
          assertEquals("TETHER_SECRET_KEY_FILE", e.variable());
          assertTrue(e.getMessage().contains(reason), e.getMessage());
        });
  }
}
