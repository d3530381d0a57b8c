package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TargetKind;
import io.tether.testing.ApiClient;
import io.tether.testing.Await;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.PortalApi;
import io.tether.testing.ScriptedAgent;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A terminal's control messages come from an untrusted client: a malformed one gets one {@code
 * error} answer, the socket stays usable, and the portal's log gets no stack trace.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class TerminalControlTest {
  private static final Duration STEP = Duration.ofSeconds(15);

  /** Wrong types, not JSON, unknown types, numbers out of range or too large for any type. */
  private static final List<String> MALFORMED =
      List.of(
          "{\"type\":\"resize\",\"cols\":\"x\"}",
          "{\"type\":\"resize\",\"rows\":[24]}",
          "{\"type\":\"resize\",\"cols\":99999999999999999999999}",
          "{\"type\":\"resize\",\"cols\":1e400}",
          "{\"type\":\"resize\",\"cols\":80.5}",
          "{\"type\":\"resize\",\"rows\":-1}",
          "not json",
          "[1,2]",
          "{\"type\":5}",
          "{\"type\":\"no-such-type\"}",
          "{\"type\":\"line\",\"baud\":\"fast\"}",
          "{\"type\":\"line\",\"baud\":18446744073709561216}",
          "{\"type\":\"line\",\"dataBits\":{}}",
          "{\"type\":\"line\",\"parity\":1}",
          "{\"type\":\"line\",\"flow\":true}",
          "{\"type\":\"break\",\"ms\":\"long\"}",
          "{\"type\":\"hand-over\",\"to\":\"me\"}",
          "{\"type\":\"hand-over\",\"to\":4294967297}");

  @TestHTTPResource("/")
  URL root;

  @Test
  void malformedControlMessagesAreAnsweredWithOneErrorEachAndLogNoStackTrace() throws Exception {
    String base = root.toString().replaceFirst("/$", "");
    ApiClient.NewDevice device = ApiClient.admin().createDevice(null);
    Hello hello =
        new Hello(
            ProtocolVersion.CURRENT,
            "test",
            UUID.randomUUID().toString(),
            List.of(new Hello.Target("console", TargetKind.SERIAL, "a test port")));
    ScriptedAgent agent =
        ScriptedAgent.connect(
                HttpClient.newHttpClient(),
                URI.create(base.replaceFirst("^http", "ws") + "/tunnel"),
                device.token(),
                hello)
            .get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    agent.welcome().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    PortalApi admin = PortalApi.signIn(base, ApiClient.ADMIN, ApiClient.ADMIN_PASSWORD);
    LogCapture log = LogCapture.start();
    try (TerminalClient terminal =
        TerminalClient.terminal(base, admin, Long.parseLong(device.id()), "console")) {
      Frame open = agent.nextFrame(STEP);
      assertNotNull(open, "the terminal opened no channel");
      agent.send(Frame.channel(FrameType.OPENED, open.channel(), Frame.EMPTY));
      terminal.awaitLive();

      int mark = terminal.mark();
      for (String message : MALFORMED) {
        terminal.control(message);
      }
      terminal.control("{\"type\":\"resize\",\"cols\":132,\"rows\":43}");
      JsonNode resized = terminal.awaitControl("resized", STEP);
      assertEquals(132, resized.path("cols").asInt(), "a good resize after the bad ones");
      Await.until(
          MALFORMED.size() + " error answers",
          STEP,
          () -> types(terminal, mark).stream().filter("error"::equals).count() >= MALFORMED.size());
      List<String> answers = types(terminal, mark);
      assertEquals(
          MALFORMED.size(),
          answers.stream().filter("error"::equals).count(),
          "one error per malformed message: " + answers);
      assertTrue(!answers.contains("line-sent"), "a malformed line was sent: " + answers);

      terminal.control("{\"type\":\"line\",\"baud\":9600}");
      terminal.awaitControl("line-sent", STEP);
      Frame line = agent.nextFrame(STEP);
      assertNotNull(line, "the good line settings did not reach the device");
      assertEquals(FrameType.LINE, line.type());
    } finally {
      log.stop();
      agent.abort();
    }
    assertEquals(List.of(), log.noisy(), "the portal logged malformed control messages loudly");
  }

  private static List<String> types(TerminalClient terminal, int mark) {
    List<JsonNode> all = terminal.controls();
    return all.subList(mark, all.size()).stream().map(c -> c.path("type").asText()).toList();
  }

  /** Log records at WARN or above, or with a stack trace, while it is installed. */
  private static final class LogCapture extends Handler {
    private final List<String> noisy = new CopyOnWriteArrayList<>();

    static LogCapture start() {
      LogCapture capture = new LogCapture();
      Logger.getLogger("").addHandler(capture);
      return capture;
    }

    void stop() {
      Logger.getLogger("").removeHandler(this);
    }

    List<String> noisy() {
      return List.copyOf(noisy);
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getThrown() != null || record.getLevel().intValue() >= Level.WARNING.intValue()) {
        noisy.add(
            record.getLevel()
                + " "
                + record.getLoggerName()
                + ": "
                + record.getMessage()
                + (record.getThrown() == null ? "" : " " + record.getThrown()));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
