package io.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Node.js receiver (src/test/webhook-receiver/receiver.mjs) as a process on loopback: it checks
 * every request with the {@code standardwebhooks} package from npm, not with the portal's code, and
 * answers as the test scripts. Stopped and started again on the same port, it stands for a receiver
 * that is down for a while.
 */
public final class WebhookReceiver implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final Path DIR = Path.of("src/test/webhook-receiver").toAbsolutePath();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final int port = Ports.free();
  private Process process;

  /** A receiver for an IT class, as a JUnit extension on a static field: up for the class. */
  public static WebhookReceiver forClass() {
    return new WebhookReceiver();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    installOnce();
    up();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** npm ci of the receiver's one dependency, on a clean clone (package-lock.json pins it). */
  private static synchronized void installOnce() {
    if (Files.isDirectory(DIR.resolve("node_modules/standardwebhooks"))) {
      return;
    }
    try {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Build.workDir("webhook-receiver").resolve("npm.log").toFile())
              .start();
      if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm ci in " + DIR + " failed: see target/…/npm.log");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the process (again) on its port and waits for its "listening" line. */
  public void up() {
    try {
      process =
          new ProcessBuilder("node", "receiver.mjs", Integer.toString(port))
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("listening ")) {
          return;
        }
        if (System.nanoTime() > deadline) {
          break;
        }
      }
      throw new IllegalStateException("the webhook receiver did not start");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the process: connections to its port are refused until {@link #up}. */
  public void down() {
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String localhostUrl(String path) {
    return "http://localhost:" + port + path;
  }

  /** The secrets a request may verify with; {@code verified} lists the indexes that did. */
  public void secrets(List<String> secrets) {
    post("/_secrets", secrets);
  }

  /** What requests to {@code path} are answered with, in turn (the last one repeats). */
  public void script(String path, List<Integer> statuses, Map<String, String> headers) {
    post("/_script", Map.of("path", path, "statuses", statuses, "headers", headers));
  }

  /** Every request so far: path, id, type, verified, signature, body. */
  public JsonNode received() {
    return send(HttpRequest.newBuilder(URI.create(url("/_received"))).GET().build());
  }

  /** The requests to {@code path}. */
  public List<JsonNode> received(String path) {
    List<JsonNode> out = new java.util.ArrayList<>();
    received()
        .forEach(
            r -> {
              if (path.equals(r.get("path").asText())) {
                out.add(r);
              }
            });
    return out;
  }

  private void post(String path, Object body) {
    try {
      send(
          HttpRequest.newBuilder(URI.create(url(path)))
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode send(HttpRequest request) {
    try {
      String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
      return body.startsWith("[") ? JSON.readTree(body) : JSON.nullNode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      down();
    }
  }
}
