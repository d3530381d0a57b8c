package io.tether.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The data plane's audit writer: nothing queued is lost, at a stop or to a bad neighbour. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AsyncAuditTest {
  /** A graceful stop of a portal holding 10k tunnels queues one disconnect entry each. */
  private static final int STOP_BURST = 10_000;

  @Inject AsyncAudit audit;

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
