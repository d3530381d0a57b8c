package io.tether.net;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.vertx.core.Future;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Starting a TCP port the portal listens on for devices or legacy clients (raw ingress, link
 * ports), for whoever asked for the port and waits to hear whether it listens: the bind either
 * completes within a timeout, or the server is closed and the failure says why.
 */
public final class TcpListen {
  /**
   * A local bind takes milliseconds; longer means the event loops are stuck, and the admin's
   * request (or the portal's start) must not hang on it.
   */
  public static final Duration BIND_TIMEOUT = Duration.ofSeconds(5);

  private TcpListen() {}

  /** The port does not listen: taken, not allowed, or not bound in time. */
  public static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** {@link #bind(NetServer, Duration)} within {@link #BIND_TIMEOUT}. */
  public static void bind(NetServer server) throws Failed {
    bind(server, BIND_TIMEOUT);
  }

  /**
   * Starts {@code server} listening (on the host and port of its options; its connect handler set)
   * and waits up to {@code timeout} for the bind. On failure the server is closed, and so is a bind
   * that completes after the timeout: a port reported as not listening must not listen later.
   */
  public static void bind(NetServer server, Duration timeout) throws Failed {
    Future<NetServer> listening = server.listen();
    try {
      listening.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), MILLISECONDS);
    } catch (ExecutionException e) {
      server.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new Failed(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    } catch (TimeoutException e) {
      listening.onComplete(late -> server.close());
      throw new Failed("not listening after " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      listening.onComplete(late -> server.close());
      Thread.currentThread().interrupt();
      throw new Failed("interrupted while waiting for the bind", e);
    }
  }
}
