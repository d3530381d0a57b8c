package io.tether.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The data plane's audit writer: nothing queued is lost, at a stop or to a bad neighbour. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AsyncAuditTest {
  /** A graceful stop of a portal holding 10k tunnels queues one disconnect entry each. */
  private static final int STOP_BURST = 10_000;

  @Inject AsyncAudit audit;
  @Inject MeterRegistry registry;

  @Test
  void aStopWritesEveryQueuedEntryBeforeItReturns() {
    String subject = "stop-burst-" + System.nanoTime();
    for (int i = 0; i < STOP_BURST; i++) {
      audit.submit(entry(subject, i));
    }
    audit.flushOnStop(null);
    assertEquals(0, audit.pending(), "nothing pending once the stop's flush returned");
    assertEquals(STOP_BURST, written(subject), "every queued entry is in the audit log");
    assertEquals(0, audit.dropped(), "the queue had room for the whole burst");
  }

  @Test
  void anEntryTheDatabaseRefusesCostsOnlyItselfNotItsBatch() {
    String subject = "bad-neighbour-" + System.nanoTime();
    for (int i = 0; i < 10; i++) {
      audit.submit(entry(subject, i));
    }
    audit.submit(entry(subject, 10).action(null)); // action is NOT NULL in audit_events
    for (int i = 11; i < 20; i++) {
      audit.submit(entry(subject, i));
    }
    audit.flushOnStop(null);
    assertEquals(19, written(subject), "the 19 good entries around the refused one");
  }

  @Test
  void crLfAndNulInEveryFieldAreWrittenEscaped() {
    String subject = "escaped-" + System.nanoTime();
    audit.submit(
        Audit.by("device:a\nb", null, "10.0.0.1\r")
            .action("tunnel.disconnect")
            .subject(subject + "\u0000")
            .detail("1000 bye\u0000\n2026-12-04 INFO [io.tether] forged\r"));
    audit.flushOnStop(null);
    AuditEvent e =
        QuarkusTransaction.requiringNew()
            .call(() -> AuditEvent.<AuditEvent>find("subject", subject + "\\0").firstResult());
    assertTrue(e != null, "the entry with a NUL in its subject was not written");
    assertEquals("device:a\\nb", e.actor);
    assertEquals("10.0.0.1\\r", e.address);
    assertEquals("1000 bye\\0\\n2026-12-04 INFO [io.tether] forged\\r", e.detail);
  }

  @Test
  void anEntryTheDatabaseRefusesIsRetriedEscapedAndCutToItsColumns() {
    String subject = "retried-" + System.nanoTime();
    audit.submit(entry(subject, 0).action("x".repeat(100))); // action is a varchar(64)
    audit.flushOnStop(null);
    AuditEvent e =
        QuarkusTransaction.requiringNew()
            .call(() -> AuditEvent.<AuditEvent>find("subject", subject).firstResult());
    assertTrue(e != null, "the refused entry was not retried");
    assertEquals("x".repeat(64), e.action);
  }

  @Test
  void anEntryRefusedTwiceIsCountedAsDroppedAndLoggedAtError() {
    double before = dropped();
    List<LogRecord> errors = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              errors.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger.getLogger("").addHandler(capture);
    try {
      String subject = "dropped-" + System.nanoTime();
      audit.submit(entry(subject, 0).action(null)); // NOT NULL, whatever is escaped
      audit.flushOnStop(null);
    } finally {
      Logger.getLogger("").removeHandler(capture);
    }
    assertEquals(before + 1, dropped(), "tether.audit.dropped{reason=write-failed}");
    assertTrue(
        errors.stream().anyMatch(r -> r.getMessage().contains("audit entry dropped")),
        "no ERROR line about the dropped entry: "
            + errors.stream().map(LogRecord::getMessage).toList());
  }

  private double dropped() {
    Counter c = registry.find("tether.audit.dropped").tag("reason", "write-failed").counter();
    return c == null ? 0 : c.count();
  }

  private static Audit entry(String subject, int i) {
    return Audit.by("device:test", null, "127.0.0.1")
        .action("tunnel.disconnect")
        .subject(subject)
        .detail("4005 retry-after=5 #" + i);
  }

  private static long written(String subject) {
    return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("subject", subject));
  }
}
