package io.tether.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.boot.TetherConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.jboss.logging.Logger;

/**
 * Sends webhooks, on every node: each tick fans new outbox events out and claims due deliveries
 * (the database decides which node sends which), and a small pool sends them, so one slow or
 * failing receiver holds back none of the others. Stopped first at shutdown: an attempt cut off is
 * sent again when its lease ends.
 */
@ApplicationScoped
public class WebhookDispatcher {
  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

  /** How soon a new event or a due retry is noticed. */
  static final Duration POLL = Duration.ofSeconds(1);

  /** Attempts in flight on this node: enough to hide a few 10 s timeouts, few for 2 cores. */
  static final int SENDERS = 4;

  /** Outbox events fanned out per tick. */
  static final int FAN_OUT_BATCH = 500;

  /** How long events, deliveries and their attempts are kept (the log, and retries of ~28 h). */
  static final Duration LOG_KEPT = Duration.ofDays(30);

  /** How often what is older than {@link #LOG_KEPT} is deleted. */
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  @Inject Deliveries deliveries;
  @Inject TetherConfig config;
  @Inject NodeAddresses nodes;

  private final Semaphore free = new Semaphore(SENDERS);
  private ScheduledExecutorService ticker;
  private ExecutorService senders;
  private AddressGuard guard;
  private Backoff backoff;
  private SSLSocketFactory tls;

  /** {@code System.nanoTime()} of the next purge; the ticker thread only. */
  private long nextPurge = System.nanoTime();

  void onStart(@Observes StartupEvent event) throws NoSuchAlgorithmException {
    guard =
        AddressGuard.of(config.webhooks().allow(), config.webhooks().denyPrivate())
            .alsoRefusing(nodes::contains);
    backoff =
        new Backoff(
            config.webhooks().retrySchedule(), () -> ThreadLocalRandom.current().nextDouble());
    tls = SSLContext.getDefault().getSocketFactory();
    senders = Executors.newFixedThreadPool(SENDERS, daemon("tether-webhook-send"));
    ticker = Executors.newSingleThreadScheduledExecutor(daemon("tether-webhook-dispatch"));
    ticker.scheduleWithFixedDelay(
        this::tick, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  public AddressGuard guard() {
    return guard;
  }

  void onStop(@Observes @Priority(5) ShutdownEvent event) throws InterruptedException {
    if (ticker != null) {
      ticker.shutdownNow();
      senders.shutdownNow();
      senders.awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  private void tick() {
    try {
      deliveries.fanOut(FAN_OUT_BATCH);
      if (System.nanoTime() - nextPurge >= 0) {
        nextPurge = System.nanoTime() + PURGE_EVERY.toNanos();
        deliveries.purge(LOG_KEPT);
      }
      int room = free.availablePermits();
      if (room == 0) {
        return;
      }
      for (Deliveries.Claimed c : deliveries.claim(room)) {
        free.acquireUninterruptibly();
        senders.execute(
            () -> {
              try {
                attempt(c);
              } finally {
                free.release();
              }
            });
      }
    } catch (RuntimeException e) {
      LOG.warnf("webhook dispatch: %s (again in %d ms)", e.toString(), POLL.toMillis());
    }
  }

  /** One attempt: resolve once, check that address, send to it, record what came of it. */
  private void attempt(Deliveries.Claimed c) {
    long start = System.nanoTime();
    Integer status = null;
    String error = null;
    String response = null;
    Optional<Duration> retryAfter = Optional.empty();
    try {
      URI url = URI.create(c.url());
      InetAddress address = InetAddress.getByName(url.getHost());
      Optional<String> refused = guard.refusal(address);
      if (refused.isPresent()) {
        error = "refused: " + refused.get();
      } else {
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers =
            Map.of(
                "webhook-id", c.messageId(),
                "webhook-timestamp", Long.toString(now),
                "webhook-signature", Signer.header(c.secrets(), c.messageId(), now, c.body()));
        HttpPost.Answer answer = HttpPost.send(url, address, headers, c.body(), tls);
        status = answer.status();
        retryAfter = answer.retryAfter();
        response = answer.body();
        if (status >= 300 && status < 400) {
          error = "a redirect is not followed";
        }
      }
    } catch (UnknownHostException e) {
      error = "cannot resolve the host: " + e.getMessage();
    } catch (IOException | RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    Deliveries.Outcome outcome = new Deliveries.Outcome(status, ms, error, response, retryAfter);
    Optional<Duration> next =
        outcome.delivered() ? Optional.empty() : backoff.next(c.attempt(), retryAfter);
    try {
      deliveries.record(c, outcome, next);
    } catch (RuntimeException e) {
      // the lease ends and the delivery is tried again: at-least-once
      LOG.warnf("webhook delivery %d: attempt not recorded: %s", c.deliveryId(), e.toString());
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
