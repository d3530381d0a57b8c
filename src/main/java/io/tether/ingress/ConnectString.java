package io.tether.ingress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * Reads the connect string a device server sends first: exactly its length in bytes, within a time
 * limit. What follows it in the same read is the start of the data.
 */
final class ConnectString {
  /** The secret as read, and the bytes after it. */
  record Read(byte[] secret, Buffer rest) {}

  private final int length;
  private final Duration timeout;
  private final Vertx vertx;
  private final Buffer received = Buffer.buffer();

  ConnectString(int length, Duration timeout, Vertx vertx) {
    this.length = length;
    this.timeout = timeout;
    this.vertx = vertx;
  }

  /**
   * Reads from {@code socket} after {@code initial} (bytes that came with a PROXY header); leaves
   * the socket paused once the string is read (the tunnel resumes it).
   */
  Future<Read> read(NetSocket socket, Buffer initial) {
    received.appendBuffer(initial);
    if (received.length() >= length) {
      socket.pause();
      return Future.succeededFuture(read());
    }
    Promise<Read> result = Promise.promise();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> result.tryFail("no connect string within " + timeout.toSeconds() + " s"));
    socket.handler(
        data -> {
          received.appendBuffer(data);
          if (received.length() >= length) {
            socket.pause();
            socket.handler(null);
            vertx.cancelTimer(timer);
            result.tryComplete(read());
          }
        });
    socket.closeHandler(v -> result.tryFail("closed before the connect string"));
    socket.resume();
    return result.future();
  }

  private Read read() {
    return new Read(received.getBytes(0, length), received.getBuffer(length, received.length()));
  }
}
