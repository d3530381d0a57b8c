package io.tether.session;

import io.tether.access.Principal;
import io.tether.audit.Audit;
import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.PortalChannel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * One browser terminal on one device target, on the socket's event loop. Binary messages carry the
 * raw byte stream both ways; text messages carry JSON control (resize, pause/resume, serial
 * settings, status, close reason). While the browser has paused, delivered bytes are not
 * acknowledged, so the device gets no credit: a huge output never freezes the tab.
 */
final class TerminalSession implements ChannelConsumer {
  private final ServerWebSocket ws;
  private final Context context;
  private final TerminalRoute.Admission admission;
  private final String target;
  private final String address;
  private final TerminalRoute route;
  private final TerminalLocks.Holder holder;
  private final ArrayDeque<Runnable> heldAcks = new ArrayDeque<>();
  private PortalChannel channel;
  private boolean paused;
  private boolean closed;
  private boolean locked;

  TerminalSession(
      ServerWebSocket ws,
      Context context,
      TerminalRoute.Admission admission,
      String target,
      String address,
      TerminalRoute route) {
    this.ws = ws;
    this.context = context;
    this.admission = admission;
    this.target = target;
    this.address = address;
    this.route = route;
    this.holder = new TerminalLocks.Holder(admission.principal().username(), this);
  }

  long userId() {
    return admission.principal().userId();
  }

  long deviceId() {
    return admission.deviceId();
  }

  Long sessionId() {
    return admission.sessionId();
  }

  Principal principal() {
    return admission.principal();
  }

  void start() {
    ws.textMessageHandler(this::onControl);
    ws.binaryMessageHandler(this::onInput);
    ws.closeHandler(
        v -> cleanup(new Reason(Reason.PEER_CLOSED, "the browser closed the terminal")));
    Optional<TerminalLocks.Holder> busy = route.locks().acquire(deviceId(), target, holder);
    if (busy.isPresent()) {
      status("busy", "in use by " + busy.get().username(), busy.get().username());
      finish(4409, "busy: in use by " + busy.get().username());
      return;
    }
    locked = true;
    status("connecting", null, null);
    route.tunnels().open(deviceId(), target, Optional.empty(), this, context);
  }

  // --- device side ---

  @Override
  public void onOpened(PortalChannel opened) {
    if (closed) {
      opened.close(new Reason(Reason.PEER_CLOSED, "the browser left"));
      return;
    }
    channel = opened;
    status("live", null, null);
    route
        .audit()
        .submit(
            Audit.by(principal(), address)
                .action("terminal.open")
                .subject(admission.deviceName() + "/" + target)
                .device(deviceId()));
  }

  @Override
  public void onRefused(Reason reason) {
    String state =
        reason.code() == Reason.DEVICE_OFFLINE
            ? "offline"
            : reason.code() == Reason.TARGET_BUSY ? "busy" : "closed";
    status(state, reason.message(), null);
    finish(4410, reason.toString());
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    if (closed) {
      return;
    }
    ws.writeBinaryMessage(data)
        .onComplete(
            r -> {
              if (paused) {
                heldAcks.add(delivered);
              } else {
                delivered.run();
              }
            });
  }

  @Override
  public void onEof() {
    // the device side finished sending; keep the terminal for input until it closes
  }

  @Override
  public void onClosed(Reason reason) {
    channel = null;
    if (reason.code() == Reason.DEVICE_OFFLINE) {
      status("offline", reason.message(), null);
    }
    closeWithReason(reason.toString(), reason.label());
  }

  @Override
  public void onWritable() {
    ws.resume();
  }

  // --- browser side ---

  private void onInput(Buffer data) {
    if (channel == null || closed) {
      return;
    }
    channel.write(data);
    if (channel.writeQueueFull()) {
      ws.pause();
    }
  }

  private void onControl(String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (RuntimeException e) {
      send(
          new JsonObject().put("type", "error").put("detail", "control messages are JSON objects"));
      return;
    }
    switch (msg.getString("type", "")) {
      case "pause" -> paused = true;
      case "resume" -> {
        paused = false;
        while (!heldAcks.isEmpty()) {
          heldAcks.removeFirst().run();
        }
      }
      case "resize" ->
          send(
              new JsonObject()
                  .put("type", "resized")
                  .put("cols", msg.getInteger("cols", 80))
                  .put("rows", msg.getInteger("rows", 24)));
      case "line", "break" -> line(msg);
      case "input" -> onInput(Buffer.buffer(msg.getString("data", "")));
      default ->
          send(new JsonObject().put("type", "error").put("detail", "unknown control message"));
    }
  }

  private void line(JsonObject msg) {
    if (channel == null || !admission.serial()) {
      send(
          new JsonObject()
              .put("type", "error")
              .put("detail", "serial settings apply to serial targets only"));
      return;
    }
    try {
      route.tunnels().line(channel, SerialControl.toLine(msg));
      send(new JsonObject().put("type", "line-sent"));
    } catch (IllegalArgumentException e) {
      send(new JsonObject().put("type", "error").put("detail", e.getMessage()));
    }
  }

  // --- closing ---

  /** Tells the browser why, then closes (access revoked, device offline, target closed). */
  void closeWithReason(String reason) {
    closeWithReason(reason, "access-revoked");
  }

  private void closeWithReason(String reason, String code) {
    context.runOnContext(
        v -> {
          if (!closed) {
            send(new JsonObject().put("type", "closed").put("code", code).put("reason", reason));
            finish(1000, reason);
          }
        });
  }

  private void finish(int code, String reason) {
    if (!ws.isClosed()) {
      ws.close((short) code, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }
    cleanup(new Reason(Reason.PEER_CLOSED, reason));
  }

  private void cleanup(Reason reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.close(reason);
      channel = null;
    }
    if (locked) {
      route.locks().release(deviceId(), target, holder);
    }
    route.ended(this);
  }

  private void status(String state, String detail, String holderName) {
    JsonObject msg =
        new JsonObject().put("type", "status").put("state", state).put("target", target);
    if (detail != null) {
      msg.put("detail", detail);
    }
    if (holderName != null) {
      msg.put("holder", holderName);
    }
    send(msg);
  }

  private void send(JsonObject msg) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(msg.encode());
    }
  }
}
