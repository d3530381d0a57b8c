package io.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Devices for session tests: created by the admin, with a running agent, online. */
public final class TestDevices {
  public static final Duration ONLINE = Duration.ofSeconds(30);

  private TestDevices() {}

  /** A device (optionally in {@code group}) whose target "echo" is a TCP echo server. */
  public static Device echo(
      PortalProcess portal, PortalApi admin, String group, Consumer<AutoCloseable> owner) {
    EchoServer echo = EchoServer.start();
    owner.accept(echo);
    return withAgent(
        portal, admin, group, List.of("echo=tcp:127.0.0.1:" + echo.port()), owner, null, null);
  }

  /** A device whose target "console" is a socat PTY; answers the test's end of the line. */
  public static Device serial(
      PortalProcess portal, PortalApi admin, String group, Consumer<AutoCloseable> owner) {
    SocatPty pty = SocatPty.open();
    owner.accept(pty);
    PtyTap tap = PtyTap.open(pty);
    owner.accept(tap);
    return withAgent(
        portal,
        admin,
        group,
        List.of("console=serial:" + pty.devicePath() + "?baud=115200"),
        owner,
        tap,
        pty);
  }

  /**
   * A device, its agent, and for serial devices the test's end of the line and the PTY pair
   * (closing it unplugs the port).
   */
  public record Device(long id, AgentProcess agent, PtyTap tap, SocatPty pty) {}

  private static Device withAgent(
      PortalProcess portal,
      PortalApi admin,
      String group,
      List<String> targets,
      Consumer<AutoCloseable> owner,
      PtyTap tap,
      SocatPty pty) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", PortalApi.unique("dev"));
    if (group != null) {
      body.put("group", group);
    }
    JsonNode device = admin.post("/api/devices", body);
    AgentProcess agent =
        AgentProcess.create(
            device.get("name").asText(),
            "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
            device.get("token").asText(),
            targets,
            List.of());
    owner.accept(agent);
    agent.start();
    long id = device.get("id").asLong();
    Await.until(
        "device " + id + " online",
        ONLINE,
        () -> admin.get("/api/devices/" + id).get("online").asBoolean());
    return new Device(id, agent, tap, pty);
  }
}
