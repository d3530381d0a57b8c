package io.tether.net;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/** Ending a client's connection when the client has stopped reading. */
public final class Connections {
  private Connections() {}

  /**
   * Closes the TCP connection now, dropping what waits unwritten. Vert.x's {@code close()} (and a
   * channel close, which its handler turns into the same) first flushes what is queued, which a
   * peer that does not read never lets through, so the connection and its queue would live on: the
   * close starts at the pipeline's first handler, below Vert.x's, after a flush that hands a peer
   * that reads what it can take (a close frame written just before, say).
   */
  public static void abort(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().flush();
      base.channel().pipeline().firstContext().close();
    } else {
      connection.close();
    }
  }
}
