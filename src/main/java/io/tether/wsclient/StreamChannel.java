package io.tether.wsclient;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.InteractiveTraffic;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.protocol.ReceiveWindow;
import io.tether.protocol.SendActivity;
import io.tether.protocol.WindowAllowance;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One channel between a local byte stream and the portal: a reader thread that reads the target
 * only while it has credit (so backpressure reaches the serial port or socket), and a writer thread
 * that writes what the portal sent and grants credit once each write completed.
 */
public final class StreamChannel {
  /** Who carries the channel's frames: the agent's or the CLI's session. */
  public interface Owner {
    void send(Frame frame);

    /** Sends a frame already encoded as one message (saves a copy on the bulk path). */
    void sendEncoded(byte[] message);

    /**
     * Sends several encoded frames together (one write for all of them when the socket is free).
     */
    default void sendEncoded(List<byte[]> messages) {
      for (byte[] m : messages) {
        sendEncoded(m);
      }
    }

    void log(String line);

    /**
     * Returns once fewer than {@code bytes} of frames wait for the owner's socket, or after {@code
     * timeoutMillis}: a bulk channel reads no further ahead of the socket than that, whatever
     * credit it holds, so a grown window puts its bytes in flight, not in this process's heap.
     */
    default void awaitSendRoom(long bytes, long timeoutMillis) throws InterruptedException {}

    /**
     * What the owner's channels carried lately, one for all of them: windows grow on short round
     * trips only while nothing interactive shares the connection.
     */
    InteractiveTraffic traffic();

    /** The channel ended locally (stream closed or failed): tell the portal. */
    void channelEnded(int id, Reason reason);
  }

  private static final byte[] END = new byte[0];

  /**
   * The largest DATA frame sent: a slice, as the protocol asks of senders (a keystroke on another
   * channel never waits behind more than that in the sender's queue).
   */
  static final int SLICE = ProtocolLimits.DATA_SLICE;

  /**
   * The most one read of the target takes. What it returns is cut into {@link #SLICE}s queued
   * together, so they leave in one write to the portal: fewer, larger system calls and segments per
   * byte at every hop (docs/benchmarks.md, P1).
   */
  static final int READ_BATCH = 4 * SLICE;

  /**
   * The most one write to the target gives it: DATA that arrived while the previous write was under
   * way is joined into one call (allocated when first needed, so an idle channel holds none).
   */
  static final int WRITE_BATCH = 64 * 1024;

  /**
   * How long the writer waits for more DATA, once it has written everything it got, before it
   * grants the credit it still owes. Bulk data arrives sooner, so CREDIT frames stay batched; a
   * relay that passes credit on end to end never waits on a remainder below half a window.
   */
  static final Duration IDLE_GRANT_DELAY = Duration.ofMillis(2);

  /** How often an idle writer looks whether the channel was closed. */
  private static final Duration IDLE_POLL = Duration.ofMillis(500);

  /**
   * LINE changes waiting to be applied. One can hold BREAK for seconds; a peer sending them faster
   * than the port takes them cannot make the channel queue without bound (extra ones are dropped).
   */
  static final int MAX_PENDING_LINES = 64;

  /**
   * What all channels of this process may grow their receive windows by together, on long round
   * trips (a window holds bytes in this process's heap until the target took them).
   */
  static final long PROCESS_WINDOW_GROWTH = 16L << 20;

  private static final WindowAllowance GROWTH = WindowAllowance.of(PROCESS_WINDOW_GROWTH);

  /**
   * How far a channel that is not quiet reads ahead of its socket: frames waiting to be written, of
   * all channels. A quiet channel (a keystroke) never waits for it. One slice: the socket's kernel
   * buffer keeps the link busy, and frames that wait in the heap at a collection are copied and
   * promoted (a 256 KiB bound left the agent's RSS +18…+53 % under P1, one slice +11…+17 %).
   */
  static final long SEND_AHEAD = ProtocolLimits.DATA_SLICE;

  /** How long a bulk reader waits for room before it looks whether the channel was closed. */
  private static final long SEND_ROOM_POLL_MILLIS = 200;

  private final int id;
  private final ByteStream stream;
  private final Owner session;
  private final ReceiveWindow fromPortal;
  private final SendActivity carried = new SendActivity(); // DATA both ways, under itself
  private final LinkedBlockingQueue<byte[]> toTarget = new LinkedBlockingQueue<>();
  private final Object creditLock = new Object();
  private final ArrayDeque<LineSettings> lines = new ArrayDeque<>();
  private boolean applyingLines;
  private long credit;
  private final long initialWindow;
  private volatile boolean closed;
  private volatile boolean readDone;
  private volatile boolean writeDone;
  private byte[] joined; // the writer thread's, see writeJoined

  public StreamChannel(int id, ByteStream stream, Owner session, long window) {
    this.id = id;
    this.stream = stream;
    this.session = session;
    this.fromPortal =
        ReceiveWindow.growing(
            window,
            Math.max(window, ProtocolLimits.GROWN_WINDOW_MAX),
            GROWTH,
            System::nanoTime,
            session.traffic(),
            id);
    this.credit = window;
    this.initialWindow = window;
  }

  public void start() {
    Thread reader = new Thread(this::readLoop, "ch" + id + "-read");
    Thread writer = new Thread(this::writeLoop, "ch" + id + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  public void onData(byte[] data) throws ProtocolException {
    synchronized (fromPortal) {
      fromPortal.onReceived(data.length);
    }
    carried(data.length);
    toTarget.add(data);
  }

  public void onCredit(long bytes) {
    synchronized (creditLock) {
      credit += bytes;
      creditLock.notifyAll();
    }
  }

  public void onEof() {
    toTarget.add(END);
  }

  /**
   * Applies a LINE change on {@code executor}, after the ones that came before it: each change is
   * merged into the settings the previous one left, so two applied at once could undo each other
   * (an RFC 2217 client sends baud rate, data size, parity and stop size as four changes).
   */
  public void onLine(LineSettings settings, Executor executor) {
    synchronized (lines) {
      if (lines.size() >= MAX_PENDING_LINES) {
        session.log("channel " + id + ": LINE dropped, " + lines.size() + " still to apply");
        return;
      }
      lines.addLast(settings);
      if (applyingLines) {
        return;
      }
      applyingLines = true;
    }
    executor.execute(this::applyLines);
  }

  private void applyLines() {
    while (true) {
      LineSettings next;
      synchronized (lines) {
        next = lines.pollFirst();
        if (next == null) {
          applyingLines = false;
          return;
        }
      }
      try {
        stream.line(next);
      } catch (IOException | RuntimeException e) {
        session.log("channel " + id + ": LINE not applied: " + e.getMessage());
      }
    }
  }

  /** The portal closed the channel, or the tunnel went away. */
  public void abort() {
    closed = true;
    releaseWindow();
    toTarget.add(END);
    synchronized (creditLock) {
      creditLock.notifyAll();
    }
    stream.close();
  }

  private boolean quiet() {
    long now = System.nanoTime();
    synchronized (carried) {
      return carried.quiet(now);
    }
  }

  private void carried(int n) {
    long now = System.nanoTime();
    synchronized (carried) {
      carried.sent(n, now);
      session.traffic().data(id, carried, now);
    }
  }

  private void readLoop() {
    byte[] buffer = new byte[READ_BATCH];
    try {
      while (!closed) {
        int allowed;
        synchronized (creditLock) {
          while (credit == 0 && !closed) {
            creditLock.wait(200);
          }
          allowed = (int) Math.min(credit, buffer.length);
        }
        if (closed) {
          return;
        }
        if (!quiet()) {
          session.awaitSendRoom(SEND_AHEAD, SEND_ROOM_POLL_MILLIS);
        }
        int n = stream.read(buffer, allowed);
        if (n < 0 && !stream.halfCloses()) {
          fail(Reason.NORMAL, "the connection ended");
          return;
        }
        if (n < 0) {
          session.send(Frame.channel(FrameType.EOF, id, Frame.EMPTY));
          readDone = true;
          finishIfDone();
          return;
        }
        if (n > 0) {
          synchronized (creditLock) {
            credit -= n;
          }
          List<byte[]> slices = new ArrayList<>(READ_BATCH / SLICE);
          for (int off = 0; off < n; off += SLICE) {
            slices.add(
                FrameCodec.encode(FrameType.DATA, id, buffer, off, Math.min(SLICE, n - off)));
          }
          session.sendEncoded(slices);
          carried(n);
          stream.sent();
        }
      }
    } catch (IOException e) {
      fail(Reason.IO_ERROR, "reading the target failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeLoop() {
    try {
      while (!closed) {
        long owed;
        synchronized (fromPortal) {
          owed = fromPortal.owed();
        }
        byte[] data =
            toTarget.poll(
                owed > 0 ? IDLE_GRANT_DELAY.toNanos() : IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
        if (data == null) {
          if (owed > 0) {
            grantOwed();
          }
          continue;
        }
        if (data == END) {
          if (!closed && !stream.halfCloses()) {
            // the user side is done and this target cannot half-close (a serial port): free it
            fail(Reason.NORMAL, "the user side closed; a serial line has no half-close");
            return;
          }
          if (!closed) {
            stream.shutdownOutput();
            writeDone = true;
            finishIfDone();
          }
          return;
        }
        int written = writeJoined(data);
        long grant;
        synchronized (fromPortal) {
          grant = fromPortal.onDelivered(written);
        }
        if (grant > 0) {
          session.send(Frame.channel(FrameType.CREDIT, id, Messages.credit(grant)));
        }
      }
    } catch (IOException e) {
      fail(Reason.IO_ERROR, "writing to the target failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes {@code first} to the target, joined with the DATA queued behind it up to {@link
   * #WRITE_BATCH}; returns the bytes written.
   */
  private int writeJoined(byte[] first) throws IOException {
    byte[] next = toTarget.peek();
    if (next == null || next == END || first.length + next.length > WRITE_BATCH) {
      stream.write(first, 0, first.length);
      return first.length;
    }
    if (joined == null) {
      joined = new byte[WRITE_BATCH];
    }
    int size = first.length;
    System.arraycopy(first, 0, joined, 0, size);
    while ((next = toTarget.peek()) != null && next != END && size + next.length <= WRITE_BATCH) {
      toTarget.poll();
      System.arraycopy(next, 0, joined, size, next.length);
      size += next.length;
    }
    stream.write(joined, 0, size);
    return size;
  }

  /** The target has written everything: grant what is owed (see {@link ReceiveWindow#flush}). */
  private void grantOwed() {
    long grant;
    synchronized (fromPortal) {
      grant = fromPortal.flush();
    }
    if (grant > 0 && !closed) {
      session.send(Frame.channel(FrameType.CREDIT, id, Messages.credit(grant)));
    }
  }

  private void finishIfDone() {
    if (readDone && writeDone) {
      fail(Reason.NORMAL, "both directions finished");
    }
  }

  private void fail(int code, String message) {
    if (!closed) {
      closed = true;
      releaseWindow();
      stream.close();
      session.channelEnded(id, new Reason(code, message));
    }
  }

  /** Gives the window's growth back; says how far it grew, if it did (a long link). */
  private void releaseWindow() {
    long grewTo;
    long roundTrip;
    synchronized (fromPortal) {
      grewTo = fromPortal.largestWindow();
      roundTrip = fromPortal.roundTripNanos();
      fromPortal.release();
    }
    if (grewTo > initialWindow) {
      session.log(
          String.format(
              "channel %d: receive window grew to %d KiB (credit round trip %.1f ms)",
              id, grewTo >> 10, roundTrip / 1e6));
    }
  }
}
