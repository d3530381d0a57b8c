package io.tether.testing;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A browser's {@code GET /api/events} (server-sent events), read on a thread of its own. */
public final class EventStream implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final InputStream body;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  private EventStream(InputStream body) {
    this.body = body;
    Thread reader = new Thread(this::read, "event-stream");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream with the user's session cookie; fails unless it answers 200. */
  public static EventStream open(String baseUrl, PortalApi user) {
    return open(baseUrl, user.cookie());
  }

  /** Opens the stream with {@code cookie} ({@code name=value}); fails unless it answers 200. */
  public static EventStream open(String baseUrl, String cookie) {
    try {
      HttpResponse<InputStream> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/api/events"))
                  .header("Cookie", cookie)
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new AssertionError(
            "GET /api/events answered "
                + r.statusCode()
                + ": "
                + new String(r.body().readAllBytes()));
      }
      return new EventStream(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (this) {
          lines.add(line);
        }
      }
    } catch (java.io.IOException e) {
      // the stream ended by a reset: still ended
    }
    ended.complete(null);
  }

  /** Waits for the portal to end the stream; fails with what it sent if it does not. */
  public void awaitEnd(Duration timeout) {
    try {
      ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the event stream did not end within " + timeout + ": " + lines());
    }
  }

  public boolean isOpen() {
    return !ended.isDone();
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The data of every event so far (its {@code data:} lines), in order. */
  public synchronized List<String> data() {
    return lines.stream()
        .filter(l -> l.startsWith("data:"))
        .map(l -> l.substring("data:".length()).strip())
        .toList();
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (java.io.IOException e) {
      // closing anyway
    }
  }
}
