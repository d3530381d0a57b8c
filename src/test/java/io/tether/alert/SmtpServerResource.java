package io.tether.alert;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tether.testing.Ports;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) in the test JVM, and the portal's mail settings pointing at it:
 * plain SMTP on loopback, and a digest window short enough to wait for.
 */
public class SmtpServerResource implements QuarkusTestResourceLifecycleManager {
  /** The window the tests wait out for a digest. */
  static final String DIGEST_WINDOW = "6s";

  static volatile GreenMail server;
  static volatile int port;

  @Override
  public Map<String, String> start() {
    port = Ports.free();
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    return Map.of(
        "tether.mail.host", "127.0.0.1",
        "tether.mail.port", Integer.toString(port),
        "tether.mail.security", "none",
        "tether.mail.from", "alerts@tether.test",
        "tether.mail.digest-window", DIGEST_WINDOW);
  }

  /** Starts it again on the same port after a test stopped it. */
  static void restart() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
