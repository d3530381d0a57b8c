package io.tether.cli;

import io.tether.wsclient.ClientTls;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code tether connect DEVICE [TARGET]}: the device target's session in this terminal, through the
 * portal's terminal WebSocket with the stored token, as a browser terminal joins it (controller or
 * observer, recorded and audited the same). Keys go to the device raw; ssh's escapes after Enter
 * ({@link Escapes}) leave, send a BREAK or take control; the session's states are one line each.
 */
final class Connect implements WebSocket.Listener {
  /** Typed bytes sent in one message at most: below the portal's 64 KiB frame bound. */
  static final int MESSAGE = 16 * 1024;

  private final Object deviceId;
  private final String label;
  private final OutputStream screen;
  private final PrintStream err;
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private volatile boolean leaving;
  private volatile String role;
  private boolean refusedShown;

  private Connect(Object deviceId, String label, OutputStream screen, PrintStream err) {
    this.deviceId = deviceId;
    this.label = label;
    this.screen = screen;
    this.err = err;
  }

  /** Runs the session until the user leaves (0) or it ends otherwise (1). */
  static int run(
      URI portal,
      String token,
      String ca,
      Map<String, Object> device,
      String target,
      PrintStream err)
      throws CliMain.Failure, InterruptedException {
    String name = String.valueOf(device.get("name"));
    Connect c =
        new Connect(
            device.get("id"), name + "/" + target, new FileOutputStream(FileDescriptor.out), err);
    // raw before the session answers: keys typed meanwhile must not be cooked (CR turned LF)
    try (Tty tty = Tty.raw()) {
      return c.session(portal, token, ca, name, target, tty);
    }
  }

  private int session(URI portal, String token, String ca, String name, String target, Tty tty)
      throws CliMain.Failure {
    WebSocket ws;
    try {
      HttpClient http = ClientTls.client(ca == null ? null : Path.of(ca));
      ws =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .connectTimeout(Duration.ofSeconds(15))
              .buildAsync(terminalUri(portal, deviceId, target), this)
              .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        throw status == 401
            ? new PortalCalls.NotSignedIn("the portal refused the token: run tether login")
            : new CliMain.Failure(
                switch (status) {
                  case 403 -> "you may not open " + label;
                  case 404 -> "no device " + name + " that you may see";
                  case 429 -> "too many open sessions of yours: close one and try again";
                  default -> "the portal refused the session (HTTP " + status + ")";
                });
      }
      throw new CliMain.Failure(
          "cannot reach the portal at " + portal + ": " + e.getCause().getMessage());
    } catch (Exception e) {
      throw new CliMain.Failure("cannot connect: " + e.getMessage());
    }
    if (!tty.isRaw()) {
      notice("stdin is not a terminal: keys are sent as read, escapes still work after Enter");
    }
    if (tty.isRaw()) {
      // the session's size is its controller's: the recording replays at it
      Runnable sendSize =
          () -> {
            try {
              WindowSize.now().ifPresent(size -> sendText(ws, size.json()));
            } catch (CompletionException e) {
              // the socket is closing: the session ends anyway
            }
          };
      sendSize.run();
      WindowSize.onChange(sendSize);
    }
    Thread keys = new Thread(() -> pump(System.in, ws), "keys");
    keys.setDaemon(true);
    keys.start();
    return done.join();
  }

  static URI terminalUri(URI portal, Object deviceId, String target) {
    return CliOptions.webSocket(
        portal,
        "/api/devices/"
            + deviceId
            + "/terminal?target="
            + URLEncoder.encode(target, StandardCharsets.UTF_8));
  }

  /** Reads the keys and sends them; escapes act here. */
  private void pump(InputStream in, WebSocket ws) {
    Escapes escapes = new Escapes();
    byte[] buf = new byte[MESSAGE];
    try {
      int n;
      while (!done.isDone() && (n = in.read(buf)) >= 0) {
        byte[] send =
            escapes.feed(
                buf,
                n,
                action -> {
                  switch (action) {
                    case LEAVE -> leave(ws);
                    case BREAK -> sendText(ws, "{\"type\":\"break\"}");
                    case TAKE_OVER -> sendText(ws, "{\"type\":\"take-over\"}");
                    case HELP -> notice(Escapes.HELP);
                  }
                });
        if (send.length > 0 && !leaving) {
          synchronized (this) {
            ws.sendBinary(ByteBuffer.wrap(send), true).join();
          }
        }
      }
      leave(ws); // the input ended (a pipe): leave as ~. would
    } catch (IOException | CompletionException e) {
      done.complete(1);
    }
  }

  /**
   * One message at a time: the JDK's WebSocket refuses a send while another is under way, and keys
   * and window changes come from different threads.
   */
  private synchronized void sendText(WebSocket ws, String message) {
    if (!leaving) {
      ws.sendText(message, true).join();
    }
  }

  private void leave(WebSocket ws) {
    if (!leaving) {
      leaving = true;
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "left").exceptionally(e -> null);
      done.complete(0);
    }
  }

  private void notice(String line) {
    err.print("\r\ntether: " + line + "\r\n");
    err.flush();
  }

  // --- the socket ---

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    try {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      screen.write(bytes);
      screen.flush();
    } catch (IOException e) {
      done.complete(1);
    }
    ws.request(1); // the next output only once this one is on the screen
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      String message = text.toString();
      text.setLength(0);
      try {
        if (Json.parse(message) instanceof Map<?, ?> m) {
          control(m);
        }
      } catch (IllegalArgumentException e) {
        // not ours to fail on: the portal's control messages are JSON
      }
    }
    ws.request(1);
    return null;
  }

  private void control(Map<?, ?> m) {
    String detail = m.get("detail") == null ? "" : String.valueOf(m.get("detail"));
    switch (String.valueOf(m.get("type"))) {
      case "status" -> {
        String state = String.valueOf(m.get("state"));
        if (List.of("offline", "busy", "closed").contains(state)) {
          notice(label + " is " + state + (detail.isEmpty() ? "" : ": " + detail));
        }
      }
      case "session" -> {
        String now = String.valueOf(m.get("role"));
        if (!now.equals(role)) {
          role = now;
          refusedShown = false;
          Object controller = m.get("controller");
          notice(
              "controller".equals(now)
                  ? "connected to " + label + ", you control it (~? lists the escapes)"
                  : "observing "
                      + label
                      + (controller == null
                          ? ", nobody controls it"
                          : ": " + controller + " controls it")
                      + (Boolean.TRUE.equals(m.get("mayControl"))
                          ? "; ~T takes control"
                          : "; you may watch only"));
        }
      }
      case "input-refused" -> {
        if (!refusedShown) {
          refusedShown = true;
          notice(detail + " (~T takes control)");
        }
      }
      case "error" -> notice(detail);
      default -> {} // roster, reset, lagging: the screen shows what matters
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
    if (!leaving) {
      notice(
          "the session ended: " + (reason == null || reason.isEmpty() ? "code " + code : reason));
    }
    done.complete(leaving ? 0 : 1);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    if (!leaving) {
      notice("the connection failed: " + error.getMessage());
    }
    done.complete(leaving ? 0 : 1);
  }
}
