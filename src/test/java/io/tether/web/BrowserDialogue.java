package io.tether.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.testing.Build;
import io.tether.testing.PlaywrightScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A browser scenario of a Node script (playwright-core driving Debian's Chromium) that asks the
 * test for what only the test can do — start or kill an agent, read and write the serial line,
 * change a user — and waits for the answer. The script writes a request as one stdout line
 * {@code @@tether {"id": 1, "op": "startAgent", ...}}; the test runs the handler for {@code op} and
 * answers on the script's stdin with {@code {"id": 1, "ok": true, "value": ...}} or {@code {"id":
 * 1, "ok": false, "error": "..."}}. Every other output line is the scenario's log (kept in a file,
 * shown on failure).
 */
public final class BrowserDialogue {
  static final String PREFIX = "@@tether ";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the test does for one kind of request; its return value is the answer's "value". */
  @FunctionalInterface
  public interface Handler {
    Object handle(JsonNode request) throws Exception;
  }

  private BrowserDialogue() {}

  /**
   * Runs {@code node e2e/SCRIPT SCENARIO}; fails with the log unless it exits 0 within {@code
   * timeout} and every handler succeeded. Returns the log.
   */
  public static String run(
      String script,
      String scenario,
      Map<String, String> env,
      Map<String, Handler> handlers,
      Duration timeout) {
    Path log = Build.workDir("browser-" + scenario).resolve("browser.log");
    ProcessBuilder builder =
        PlaywrightScript.command(List.of("e2e/" + script, scenario), env, List.of());
    AtomicReference<Throwable> handlerFailure = new AtomicReference<>();
    // handlers may block for seconds (waiting for bytes on a serial line): never on the reader
    ExecutorService workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "browser-dialogue-" + scenario);
              t.setDaemon(true);
              return t;
            });
    Process node;
    try {
      Files.createDirectories(log.getParent());
      node = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run node (is Node installed?)", e);
    }
    OutputStream answers = node.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  append(log, line);
                  if (line.startsWith(PREFIX)) {
                    JsonNode request = JSON.readTree(line.substring(PREFIX.length()));
                    workers.execute(() -> answer(request, handlers, answers, log, handlerFailure));
                  }
                }
              } catch (IOException e) {
                append(log, "(reading the scenario's output failed: " + e + ")");
              }
            },
            "browser-dialogue-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!node.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        throw new AssertionError(
            "scenario "
                + scenario
                + " did not finish in "
                + timeout
                + ":\n"
                + PlaywrightScript.read(log));
      }
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      node.destroyForcibly();
      throw new AssertionError("interrupted", e);
    } finally {
      workers.shutdownNow();
    }
    String output = PlaywrightScript.read(log);
    if (node.exitValue() != 0) {
      AssertionError failure =
          new AssertionError("browser scenario " + scenario + " failed:\n" + output);
      if (handlerFailure.get() != null) {
        failure.addSuppressed(handlerFailure.get());
      }
      throw failure;
    }
    if (handlerFailure.get() != null) {
      throw new AssertionError(
          "scenario "
              + scenario
              + " passed in the browser, but a test-side check failed:\n"
              + output,
          handlerFailure.get());
    }
    return output;
  }

  private static void answer(
      JsonNode request,
      Map<String, Handler> handlers,
      OutputStream answers,
      Path log,
      AtomicReference<Throwable> failure) {
    String op = request.path("op").asText();
    ObjectNode reply = JSON.createObjectNode();
    reply.set("id", request.get("id"));
    Handler handler = handlers.get(op);
    try {
      if (handler == null) {
        throw new IllegalArgumentException("the test has no handler for '" + op + "'");
      }
      Object value = handler.handle(request);
      reply.put("ok", true);
      reply.set("value", JSON.valueToTree(value));
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
      reply.put("ok", false);
      reply.put("error", op + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
    append(log, "test answered " + op + ": " + reply);
    try {
      synchronized (answers) {
        answers.write((JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
        answers.flush();
      }
    } catch (IOException e) {
      append(log, "(the scenario is gone; answer to " + op + " not delivered: " + e + ")");
    }
  }

  private static synchronized void append(Path log, String line) {
    try {
      Files.writeString(
          log,
          line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is best effort; the exit code decides
    }
  }
}
