package io.tether.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalProcess;
import io.tether.testing.PtyTap;
import io.tether.testing.SocatPty;
import io.tether.testing.Started;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One device of a browser test with a serial target "console" on a socat PTY (the test's end: a
 * {@link PtyTap}), its agent made but not started, and the dialogue handlers every scenario may use
 * (start or kill the agent, read and write the serial line). What it starts goes into the test's
 * {@link Started}, closed after the test in reverse order.
 */
public final class SerialRig {
  public final JsonNode device;
  public final SocatPty pty;
  public final PtyTap tap;
  public final AgentProcess agent;
  private final java.util.function.LongPredicate online;

  /**
   * A device named {@code prefix-…} in {@code group} (null: the default group); with {@code echo},
   * a second target "echo" (TCP, an echo server) beside the serial one.
   */
  public SerialRig(
      PortalProcess portal,
      PortalApi admin,
      String prefix,
      String group,
      boolean echo,
      Started started) {
    this(
        create(admin, prefix, group),
        "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
        List.of(),
        id -> admin.get("/api/devices/" + id).get("online").asBoolean(),
        echo,
        started);
  }

  /**
   * A device made by the test ({@code id}, {@code name}, {@code token}) whose agent dials {@code
   * tunnelUrl} with {@code agentArgs} (a cluster's balancer, its CA), {@code online} telling when
   * the portal has it.
   */
  SerialRig(
      JsonNode device,
      String tunnelUrl,
      List<String> agentArgs,
      java.util.function.LongPredicate online,
      boolean echo,
      Started started) {
    this.device = device;
    this.online = online;
    pty = started.add(openPty());
    tap = started.add(PtyTap.open(pty));
    List<String> targets = new ArrayList<>();
    targets.add("console=serial:" + pty.devicePath() + "?baud=115200");
    if (echo) {
      EchoServer server = started.add(EchoServer.start());
      targets.add("echo=tcp:127.0.0.1:" + server.port());
    }
    agent =
        started.add(
            AgentProcess.create(
                device.get("name").asText(),
                tunnelUrl,
                device.get("token").asText(),
                targets,
                agentArgs));
  }

  private static JsonNode create(PortalApi admin, String prefix, String group) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", PortalApi.unique(prefix));
    if (group != null) {
      body.put("group", group);
    }
    return admin.post("/api/devices", body);
  }

  public long id() {
    return device.get("id").asLong();
  }

  public String name() {
    return device.get("name").asText();
  }

  /**
   * What every browser scenario on this device reads: the portal at {@code baseUrl}, the admin's
   * password, the device's id and name (a mutable map, for a scenario's own settings).
   */
  Map<String, String> scenarioEnv(String baseUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_URL", baseUrl);
    env.put("ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD);
    env.put("DEVICE_ID", Long.toString(id()));
    env.put("DEVICE_NAME", name());
    return env;
  }

  public void startAndAwaitOnline() {
    agent.start();
    Await.until(name() + " online", Duration.ofSeconds(30), () -> online.test(id()));
  }

  /** The handlers every scenario may use: the agent and the serial line. */
  Map<String, BrowserDialogue.Handler> handlers() {
    Map<String, BrowserDialogue.Handler> h = new HashMap<>();
    h.put(
        "startAgent",
        r -> {
          agent.start();
          return null;
        });
    h.put(
        "killAgent",
        r -> {
          agent.kill9();
          return null;
        });
    h.put(
        "ptyWrite",
        r -> {
          tap.write(bytes(r));
          return null;
        });
    h.put(
        "ptyWriteSplit",
        r -> {
          tap.writeSplit(
              bytes(r), r.get("at").asInt(), Duration.ofMillis(r.get("pauseMs").asInt()));
          return null;
        });
    h.put(
        "ptyExpect",
        r -> {
          tap.expect(bytes(r), Duration.ofMillis(r.path("timeoutMs").asLong(10_000)));
          return null;
        });
    return h;
  }

  /** The "base64" field of a dialogue request, decoded. */
  static byte[] bytes(JsonNode request) {
    return Base64.getDecoder().decode(request.get("base64").asText());
  }

  /**
   * SocatPty.open, tried up to three times: now and then it times out waiting to read socat's PTY
   * names although socat has opened both (seen on a busy 2-core machine), and then leaves that
   * socat running. The harness is not ours to change: the socat child a failed attempt left is
   * ended here.
   */
  static SocatPty openPty() {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      Set<Long> before = socatChildren();
      try {
        return SocatPty.open();
      } catch (IllegalStateException e) {
        System.out.println("[rig] socat PTY attempt " + attempt + " failed: " + e.getCause());
        last = e;
        ProcessHandle.current()
            .children()
            .filter(p -> isSocat(p) && !before.contains(p.pid()))
            .forEach(ProcessHandle::destroy);
      }
    }
    throw last;
  }

  private static Set<Long> socatChildren() {
    return ProcessHandle.current()
        .children()
        .filter(SerialRig::isSocat)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static boolean isSocat(ProcessHandle p) {
    return p.info().command().map(c -> c.endsWith("/socat") || c.equals("socat")).orElse(false);
  }
}
