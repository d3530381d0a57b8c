package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay between a client and a port, standing in for the network path. {@link
 * #freeze()} stops forwarding in both directions while every socket stays open (a path that
 * silently black-holes, as a NAT that dropped its mapping does); {@link #heal()} resumes it, bytes
 * held meanwhile included. Connections accepted while frozen wait, too.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Object gate = new Object();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean frozen;

  private TcpRelay(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
    threads.submit(this::acceptLoop);
  }

  /** A relay on a free loopback port to 127.0.0.1:{@code targetPort}. */
  public static TcpRelay to(int targetPort) {
    try {
      return new TcpRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public void freeze() {
    frozen = true;
  }

  public void heal() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  /** Closes every connection relayed so far (both sides see it end), as a NAT reboot would. */
  public void dropConnections() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        threads.submit(() -> pump(client, upstream));
        threads.submit(() -> pump(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        awaitThawed();
        int n = in.read(buffer);
        awaitThawed(); // a read that raced a freeze is held, not forwarded
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | InterruptedException e) {
      // one side went away: end the pair
    }
    closeQuietly(from);
    closeQuietly(to);
  }

  private void awaitThawed() throws InterruptedException {
    synchronized (gate) {
      while (frozen) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    sockets.forEach(TcpRelay::closeQuietly);
    threads.shutdownNow();
  }
}
