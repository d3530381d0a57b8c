package io.tether.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A terminal (or data flow) WebSocket as a test drives it: signed in with a user's cookie from the
 * portal's origin, keeping every byte and control message it receives. {@link #stall()} stops
 * reading (the socket's receive buffers fill up), like a browser tab that hangs.
 */
public final class TerminalClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Largest binary message sent: below the portal's 64 KiB WebSocket frame limit. */
  private static final int MESSAGE = 16 * 1024;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final List<JsonNode> controls = new CopyOnWriteArrayList<>();

  /** Binary messages and control messages in arrival order: "B<n>" or the control's type. */
  private final List<String> order = new CopyOnWriteArrayList<>();

  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile boolean stalled;
  private WebSocket ws;

  public static TerminalClient open(String baseUrl, PortalApi user, String path) {
    return open(HTTP, baseUrl, user.cookie(), path);
  }

  /**
   * A socket on an HTTPS origin whose certificate {@code tls} trusts (a cluster's balancer), as the
   * user holding {@code cookie} ({@code name=value}).
   */
  public static TerminalClient open(String baseUrl, SSLContext tls, String cookie, String path) {
    return open(HttpClient.newBuilder().sslContext(tls).build(), baseUrl, cookie, path);
  }

  private static TerminalClient open(HttpClient http, String baseUrl, String cookie, String path) {
    TerminalClient c = new TerminalClient();
    String url = baseUrl.replaceFirst("^http", "ws") + path;
    try {
      c.ws =
          http.newWebSocketBuilder()
              .header("Origin", baseUrl)
              .header("Cookie", cookie)
              .buildAsync(URI.create(url), c.new Listener())
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the WebSocket " + path + " did not open: " + e, e);
    }
    return c;
  }

  public static TerminalClient terminal(String base, PortalApi user, long device, String target) {
    return open(base, user, "/api/devices/" + device + "/terminal?target=" + target);
  }

  /** A terminal through an HTTPS origin {@code tls} trusts, as the user holding {@code cookie}. */
  public static TerminalClient terminal(
      String base, SSLContext tls, String cookie, long device, String target) {
    return open(base, tls, cookie, "/api/devices/" + device + "/terminal?target=" + target);
  }

  /** Waits until the device side is open (keystrokes before that are not sent anywhere). */
  public TerminalClient awaitLive() {
    awaitControl("status", s -> s.path("state").asText().equals("live"), Duration.ofSeconds(10));
    return this;
  }

  /** Sends keystrokes, in messages of at most 16 KiB as a terminal would. */
  public void type(byte[] data) {
    for (int off = 0; off < data.length || off == 0; off += MESSAGE) {
      int n = Math.min(MESSAGE, data.length - off);
      ws.sendBinary(ByteBuffer.wrap(data, off, n), true).join();
      if (data.length == 0) {
        return;
      }
    }
  }

  /** The number of control messages so far: pass to the "after" waits. */
  public int mark() {
    return controls.size();
  }

  /** The first "session" message after {@code mark} that matches. */
  public JsonNode awaitSessionAfter(int mark, Predicate<JsonNode> match) {
    return awaitSessionAfter(mark, match, Duration.ofSeconds(10));
  }

  public JsonNode awaitSessionAfter(int mark, Predicate<JsonNode> match, Duration timeout) {
    Await.until(
        "a matching 'session' message (got " + controls + ")",
        timeout,
        () -> sessionAfter(mark, match) != null);
    return sessionAfter(mark, match);
  }

  private JsonNode sessionAfter(int mark, Predicate<JsonNode> match) {
    for (int i = mark; i < controls.size(); i++) {
      JsonNode c = controls.get(i);
      if ("session".equals(c.path("type").asText()) && match.test(c)) {
        return c;
      }
    }
    return null;
  }

  public void control(String json) {
    ws.sendText(json, true).join();
  }

  /** Stops reading: nothing more is requested from the socket. */
  void stall() {
    stalled = true;
  }

  public synchronized byte[] received() {
    return bytes.toByteArray();
  }

  public synchronized int receivedCount() {
    return bytes.size();
  }

  List<String> order() {
    return order;
  }

  public List<JsonNode> controls() {
    return controls;
  }

  /** The latest control message of {@code type}, waiting for one that matches. */
  public JsonNode awaitControl(String type, Predicate<JsonNode> match, Duration timeout) {
    Await.until(
        "a '" + type + "' message (got " + controls + ")",
        timeout,
        () ->
            controls.stream().anyMatch(c -> type.equals(c.path("type").asText()) && match.test(c)));
    JsonNode last = null;
    for (JsonNode c : controls) {
      if (type.equals(c.path("type").asText()) && match.test(c)) {
        last = c;
      }
    }
    return last;
  }

  public JsonNode awaitControl(String type, Duration timeout) {
    return awaitControl(type, c -> true, timeout);
  }

  /** The last "session" message: role, controller, participants. */
  public JsonNode awaitSession(Predicate<JsonNode> match) {
    return awaitControl("session", match, Duration.ofSeconds(10));
  }

  public void awaitBytes(int count, Duration timeout) {
    Await.until(
        count + " bytes (have " + receivedCount() + ")", timeout, () -> receivedCount() >= count);
  }

  /** Waits until everything received so far ends with {@code expected}. */
  public void awaitReceived(byte[] expected, Duration timeout) {
    Await.until(
        "the terminal to show "
            + new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1),
        timeout,
        () -> {
          byte[] got = received();
          return got.length >= expected.length
              && java.util.Arrays.equals(
                  got, got.length - expected.length, got.length, expected, 0, expected.length);
        });
  }

  /** How the socket closed ("code reason"), or null while it is open. */
  public String closedWith() {
    return closed.getNow(null);
  }

  /** Waits for the socket to close; answers "code reason". */
  public String awaitClosed(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket did not close within " + timeout + ": " + controls, e);
    }
  }

  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(1000, "test done");
    }
    if (ws != null) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      synchronized (TerminalClient.this) {
        bytes.write(b, 0, b.length);
      }
      order.add("B" + b.length);
      more(w);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode msg = JSON.readTree(text.toString());
          controls.add(msg);
          order.add(msg.path("type").asText());
        } catch (Exception e) {
          order.add("unparsable");
        }
        text.setLength(0);
      }
      more(w);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
      closed.complete(code + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      closed.complete("error " + error);
    }

    private void more(WebSocket w) {
      if (!stalled) {
        w.request(1);
      }
    }
  }
}
