package io.tether.wsclient;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The write side of a {@link FrameSocket}. A sender that finds nobody writing becomes the writer
 * and writes on its own thread; frames sent meanwhile wait in the {@link Outbox} and go out with
 * the writer's next write, several frames masked into one buffer per system call. When the socket
 * takes less than offered, the selector thread finishes the write once the socket is writable.
 *
 * <p>Bounded on purpose: at most one batch ({@link #WRITE_BATCH}, plus the frame that crosses it)
 * is taken out of the outbox ahead of what the socket accepted, so the outbox's order still decides
 * what goes next. The outbox itself is not bounded here: every sender of DATA is bounded by its
 * channel's credit, {@link #queuedBytes()} shows how far the socket is behind, and a bulk sender
 * waits for room ({@link #awaitQueuedBelow}) before it reads more than the socket takes.
 */
final class SendPath {
  /** Bytes taken from the outbox for one write: several 16 KiB slices or many small frames. */
  static final int WRITE_BATCH = 64 * 1024;

  private record Control(int opcode, byte[] payload) {}

  private final Object lock = new Object();
  private final Outbox outbox;
  private final ArrayDeque<Control> controls = new ArrayDeque<>();
  private final FrameSocket socket;
  private final IoLoop loop;
  private boolean writing;
  private boolean waitingWritable;
  private boolean kicked;
  private boolean closeQueued;
  private int awaitingRoom;
  private SelectionKey key;
  private Transport transport;

  // owned by the thread that is writing (handed over under the lock)
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(WRITE_BATCH + ClientFrames.size(FrameSocket.MAX_MESSAGE)).flip();
  private final ArrayList<Object> taken = new ArrayList<>();
  private final ClientFrames.MaskKeys keys = new ClientFrames.MaskKeys();
  private boolean closeInBuffer;
  private volatile boolean closeWritten;

  SendPath(Outbox outbox, FrameSocket socket, IoLoop loop) {
    this.outbox = outbox;
    this.socket = socket;
    this.loop = loop;
  }

  void opened(SelectionKey key, Transport transport) {
    synchronized (lock) {
      this.key = key;
      this.transport = transport;
    }
  }

  void send(byte[] encodedFrame) {
    sendAll(List.of(encodedFrame));
  }

  /** Queues frames together, so that a writer free now takes them all into one write. */
  void sendAll(List<byte[]> encodedFrames) {
    for (byte[] f : encodedFrames) {
      if (f.length > FrameSocket.MAX_MESSAGE) {
        throw new IllegalArgumentException("a message of " + f.length + " bytes");
      }
    }
    synchronized (lock) {
      if (closeQueued) {
        return;
      }
      for (byte[] f : encodedFrames) {
        outbox.add(f);
      }
      if (!startWriting()) {
        return;
      }
    }
    write();
  }

  void pong(byte[] payload) {
    control(new Control(ClientFrames.PONG, payload));
  }

  /** Queues the close frame (nothing after it); false when one was queued before. */
  boolean close(byte[] payload) {
    synchronized (lock) {
      if (closeQueued || transport == null) {
        return false;
      }
      outbox.clear();
    }
    control(new Control(ClientFrames.CLOSE, payload));
    return true;
  }

  private void control(Control frame) {
    synchronized (lock) {
      if (closeQueued) {
        return;
      }
      closeQueued = frame.opcode() == ClientFrames.CLOSE;
      if (closeQueued) {
        lock.notifyAll();
      }
      controls.add(frame);
      if (!startWriting()) {
        return;
      }
    }
    write();
  }

  boolean closeWritten() {
    return closeWritten;
  }

  long queuedBytes() {
    synchronized (lock) {
      return outbox.bytes();
    }
  }

  void dropQueued() {
    synchronized (lock) {
      outbox.clear();
      lock.notifyAll();
    }
  }

  /**
   * Waits until fewer than {@code bytes} wait in the outbox, the socket is closing, or {@code
   * timeoutMillis} passed.
   */
  void awaitQueuedBelow(long bytes, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    synchronized (lock) {
      awaitingRoom++;
      try {
        long left;
        while (outbox.bytes() >= bytes
            && !closeQueued
            && (left = deadline - System.nanoTime()) > 0) {
          lock.wait(Math.max(1, left / 1_000_000L));
        }
      } finally {
        awaitingRoom--;
      }
    }
  }

  /** The transport has something of its own to send (TLS). */
  void kick() {
    synchronized (lock) {
      if (writing) {
        kicked = true;
        return;
      }
      if (!startWriting()) {
        return;
      }
    }
    write();
  }

  /** On the selector thread: the socket takes bytes again. */
  void writable() {
    key.interestOps(SelectionKey.OP_READ);
    synchronized (lock) {
      waitingWritable = false;
      if (!startWriting()) {
        return;
      }
    }
    write();
  }

  /** Under the lock: whether the caller is now the writer. */
  private boolean startWriting() {
    if (writing || waitingWritable || transport == null) {
      return false;
    }
    writing = true;
    return true;
  }

  /** The writer's loop: until nothing is left, or the socket is full (then the loop finishes). */
  private void write() {
    try {
      while (buffer.hasRemaining() || take()) {
        if (!transport.write(buffer)) {
          synchronized (lock) {
            writing = false;
            waitingWritable = true;
          }
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
          loop.wakeup();
          return;
        }
        if (closeInBuffer) {
          closeInBuffer = false;
          closeWritten = true;
          socket.closeSent();
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (lock) {
        writing = false;
      }
      socket.writeFailed(e);
    }
  }

  /** Takes the next batch and frames it into the buffer; false (no longer the writer) if none. */
  private boolean take() {
    synchronized (lock) {
      long size = 0;
      while (size < WRITE_BATCH && !controls.isEmpty()) {
        Control c = controls.poll();
        taken.add(c);
        size += ClientFrames.size(c.payload().length);
      }
      while (size < WRITE_BATCH && !outbox.isEmpty()) {
        byte[] frame = outbox.poll();
        taken.add(frame);
        size += ClientFrames.size(frame.length);
      }
      if (awaitingRoom > 0) {
        lock.notifyAll();
      }
      boolean kick = kicked;
      kicked = false;
      if (taken.isEmpty() && !kick) {
        writing = false;
        return false;
      }
    }
    buffer.clear();
    for (Object item : taken) {
      if (item instanceof Control c) {
        ClientFrames.write(c.opcode(), c.payload(), 0, c.payload().length, keys.next(), buffer);
        closeInBuffer |= c.opcode() == ClientFrames.CLOSE;
      } else {
        byte[] frame = (byte[]) item;
        ClientFrames.write(ClientFrames.BINARY, frame, 0, frame.length, keys.next(), buffer);
      }
    }
    buffer.flip();
    taken.clear();
    return true;
  }
}
