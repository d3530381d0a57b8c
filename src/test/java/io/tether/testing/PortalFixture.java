package io.tether.testing;

import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One packaged portal for an IT class, as a JUnit extension on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PortalFixture portal = PortalFixture.start("links", Map.of("TETHER_X", "y"));
 * }</pre>
 *
 * The portal starts before the class's {@code @BeforeAll} methods (through {@link Portals}, so a
 * lost port race is retried) and stops after its {@code @AfterAll} methods, so that what the class
 * started on top of it (agents, CLIs, browsers) stops first. One portal per class, never per test.
 */
public final class PortalFixture implements BeforeAllCallback, AfterAllCallback {
  private final String name;
  private final Map<String, String> env;
  private final Consumer<PortalProcess> starter;
  private PortalProcess process;
  private PortalApi admin;
  private PortalClient client;

  private PortalFixture(String name, Map<String, String> env, Consumer<PortalProcess> starter) {
    this.name = name;
    this.env = env;
    this.starter = starter;
  }

  /** A portal with the default test settings plus {@code env}, ready on plain HTTP. */
  public static PortalFixture start(String name, Map<String, String> env) {
    return new PortalFixture(name, env, PortalProcess::start);
  }

  /** A portal with the default test settings. */
  public static PortalFixture start(String name) {
    return start(name, Map.of());
  }

  /** The same portal, started and awaited by {@code starter} (HTTPS, say). */
  public PortalFixture startedBy(Consumer<PortalProcess> starter) {
    return new PortalFixture(name, env, starter);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    process = Portals.start(name, env, starter);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.close();
    }
    process = null;
    admin = null;
    client = null;
  }

  /** The running portal process (restartable, with its log and database). */
  public PortalProcess process() {
    if (process == null) {
      throw new IllegalStateException(name + " is not running: is the fixture @RegisterExtension?");
    }
    return process;
  }

  /** The portal's plain-HTTP address. */
  public String baseUrl() {
    return process().baseUrl();
  }

  public int httpPort() {
    return process().httpPort();
  }

  /** Where agents connect over plain WebSocket. */
  public String tunnelUrl() {
    return "ws://127.0.0.1:" + httpPort() + "/tunnel";
  }

  /** The bootstrap admin signed in through {@link PortalApi} (once, on first use). */
  public synchronized PortalApi admin() {
    if (admin == null) {
      admin = PortalApi.signIn(baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
    }
    return admin;
  }

  /** Forgets the admin's sign-ins: the next {@link #admin} and {@link #client} sign in anew. */
  public synchronized void signInAgain() {
    admin = null;
    client = null;
  }

  /** The bootstrap admin signed in through {@link PortalClient} (once, on first use). */
  public synchronized PortalClient client() {
    if (client == null) {
      client = PortalClient.admin(process());
    }
    return client;
  }
}
