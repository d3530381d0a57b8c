package io.tether.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalProcess;
import io.tether.testing.SocatPty;
import io.tether.web.PortalApi;
import io.tether.web.PtyTap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Devices for session tests: created by the admin, with a running agent, online. */
final class Devices {
  static final Duration ONLINE = Duration.ofSeconds(30);

  private Devices() {}

  /** A device (optionally in {@code group}) whose target "echo" is a TCP echo server. */
  static long echo(
      PortalProcess portal, PortalApi admin, String group, Consumer<AutoCloseable> owner) {
    EchoServer echo = EchoServer.start();
    owner.accept(echo);
    return withAgent(portal, admin, group, List.of("echo=tcp:127.0.0.1:" + echo.port()), owner);
  }

  /** A device whose target "console" is a socat PTY; answers the test's end of the line. */
  static Serial serial(
      PortalProcess portal, PortalApi admin, String group, Consumer<AutoCloseable> owner) {
    SocatPty pty = SocatPty.open();
    owner.accept(pty);
    PtyTap tap = PtyTap.open(pty);
    owner.accept(tap);
    long id =
        withAgent(
            portal,
            admin,
            group,
            List.of("console=serial:" + pty.devicePath() + "?baud=115200"),
            owner);
    return new Serial(id, tap);
  }

  /** A serial device and the test's end of its line. */
  record Serial(long id, PtyTap tap) {}

  private static long withAgent(
      PortalProcess portal,
      PortalApi admin,
      String group,
      List<String> targets,
      Consumer<AutoCloseable> owner) {
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
    return id;
  }
}
