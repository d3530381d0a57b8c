package io.tether.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches a session's two byte streams, passively, for a ZMODEM transfer: its start in the device's
 * output ({@code **} ZDLE {@code B0} with ZRQINIT: the device sends; with ZRINIT: it receives),
 * each file's ZFILE header, and its end (ZFIN both ways, a run of CAN, or {@link #SILENCE_NANOS} of
 * silence; a download the user cancels ends at the device's own CAN run, or after {@link
 * #ABORT_QUIET_NANOS} of quiet). It splits every chunk into runs of terminal text and of transfer
 * bytes, in order, so the session can show a note instead of the binary. Not thread-safe: the hub's
 * context owns it.
 */
final class ZmodemWatcher {
  /**
   * A transfer with no byte either way this long has ended (interrupted): lrzsz retries every 10 s
   * and gives up after a few, and a browser that went away never says so.
   */
  static final long SILENCE_NANOS = 60_000_000_000L;

  /**
   * After the user cancels a download, how long the device may go quiet before the transfer counts
   * as ended: lrzsz's sz answers the abort with its own (10 CAN) at once, and until then the device
   * is still sending file data that must not show as text.
   */
  static final long ABORT_QUIET_NANOS = 3_000_000_000L;

  /** How often a session checks a running transfer for that silence: a tenth of a bound is ok. */
  static final long IDLE_CHECK_MILLIS = 1_000;

  /**
   * Bytes after the end that still belong to it, hidden too: the sender's "OO", an XON, and the
   * rest of an abort (lrzsz sends 10 CAN, 10 BS). The first other byte is terminal text again.
   */
  static final int AFTERGLOW_BYTES = 32;

  /** {@code * * ZDLE B 0}, then the type's second digit: 0 ZRQINIT, 1 ZRINIT. */
  private static final byte[] START = {'*', '*', ZmodemScanner.ZDLE, 'B', '0'};

  /** Where a chunk's runs go, in stream order. */
  interface Runs {
    /** Bytes {@code [from, to)} of the chunk are terminal text ({@code transfer} false) or not. */
    void run(int from, int to, boolean transfer);
  }

  /** What the session does about a transfer. */
  interface Listener {
    void started(FileTransfer.Direction direction);

    void file(FileTransfer file);

    void ended(
        FileTransfer.Direction direction, List<FileTransfer> files, FileTransfer.Outcome outcome);
  }

  private final Listener listener;
  private final ZmodemScanner fromDevice = new ZmodemScanner();
  private final ZmodemScanner toDevice = new ZmodemScanner();
  private final List<FileTransfer> files = new ArrayList<>();
  private FileTransfer.Direction direction;
  private boolean finFromDevice;
  private boolean finToDevice;

  /** The user cancelled a download: the device's data goes on until its own abort or quiet. */
  private boolean aborting;

  private int startMatched;
  private int outputAfterglow;
  private int inputAfterglow;
  private long lastNanos;

  ZmodemWatcher(Listener listener) {
    this.listener = listener;
  }

  /** Whether a transfer runs (take-over waits for its end). */
  boolean active() {
    return direction != null;
  }

  /** Device output: its runs go to {@code runs}, transitions to the listener. */
  void output(byte[] b, int len, long nowNanos, Runs runs) {
    scan(b, len, nowNanos, runs, true);
  }

  /** Input to the device, from the controller. */
  void input(byte[] b, int len, long nowNanos, Runs runs) {
    scan(b, len, nowNanos, runs, false);
  }

  /** Called now and then: a transfer silent for {@link #SILENCE_NANOS} ends interrupted. */
  void idle(long nowNanos) {
    if (active() && aborting && nowNanos - lastNanos >= ABORT_QUIET_NANOS) {
      end(FileTransfer.Outcome.CANCELLED);
    } else if (active() && nowNanos - lastNanos >= SILENCE_NANOS) {
      end(FileTransfer.Outcome.INTERRUPTED);
    }
  }

  /** The session ends: a transfer still running was interrupted. */
  void abandon() {
    if (active()) {
      end(FileTransfer.Outcome.INTERRUPTED);
    }
  }

  private void scan(byte[] b, int len, long nowNanos, Runs runs, boolean output) {
    int runStart = 0;
    boolean hidden = active() || (output ? outputAfterglow : inputAfterglow) > 0;
    for (int i = 0; i < len; i++) {
      byte x = b[i];
      if (active()) {
        lastNanos = nowNanos;
        ZmodemScanner.Seen seen = (output ? fromDevice : toDevice).feed(x);
        if (seen != ZmodemScanner.Seen.NOTHING) {
          seen(seen, output);
        }
        continue;
      }
      if (output ? outputAfterglow > 0 : inputAfterglow > 0) {
        if (afterglowByte(x)) {
          if (output) {
            outputAfterglow--;
          } else {
            inputAfterglow--;
          }
          continue;
        }
        if (output) {
          outputAfterglow = 0;
        } else {
          inputAfterglow = 0;
        }
      }
      if (hidden) { // the transfer's end is behind: text from here
        runs.run(runStart, i, true);
        runStart = i;
        hidden = false;
      }
      if (output && startsTransfer(x)) {
        int from = Math.max(runStart, i - START.length);
        runs.run(runStart, from, false);
        runStart = from;
        hidden = true;
        start(x == '0' ? FileTransfer.Direction.DOWNLOAD : FileTransfer.Direction.UPLOAD, nowNanos);
      }
    }
    runs.run(runStart, len, hidden);
  }

  /** Whether {@code x} completes {@code START} and a ZRQINIT or ZRINIT type. */
  private boolean startsTransfer(byte x) {
    if (startMatched == START.length) {
      startMatched = 0;
      if (x == '0' || x == '1') {
        return true;
      }
    }
    if (x == START[startMatched]) {
      startMatched++;
    } else {
      startMatched = x != '*' ? 0 : startMatched == 2 ? 2 : 1; // "***": still two stars
    }
    return false;
  }

  private static boolean afterglowByte(byte x) {
    return x == 'O' || x == 0x11 || x == 0x08 || x == ZmodemScanner.ZDLE; // OO, XON, BS, CAN
  }

  private void start(FileTransfer.Direction d, long nowNanos) {
    direction = d;
    files.clear();
    finFromDevice = false;
    finToDevice = false;
    aborting = false;
    fromDevice.reset();
    toDevice.reset();
    lastNanos = nowNanos;
    listener.started(d);
  }

  private void seen(ZmodemScanner.Seen seen, boolean output) {
    switch (seen) {
      case FILE -> {
        ZmodemScanner s = output ? fromDevice : toDevice;
        FileTransfer f = new FileTransfer(direction, s.fileName(), s.fileSize());
        if (files.isEmpty() || !files.get(files.size() - 1).equals(f)) { // not a resend
          files.add(f);
          listener.file(f);
        }
      }
      case FIN -> {
        finFromDevice |= output;
        finToDevice |= !output;
        if (finFromDevice && finToDevice) {
          end(FileTransfer.Outcome.COMPLETE);
        }
      }
      case ABORT -> {
        if (!output && direction == FileTransfer.Direction.DOWNLOAD) {
          aborting = true; // what the device already sent is still on its way
        } else {
          end(FileTransfer.Outcome.CANCELLED);
        }
      }
      case NOTHING -> {}
    }
  }

  private void end(FileTransfer.Outcome outcome) {
    FileTransfer.Direction d = direction;
    direction = null;
    startMatched = 0;
    outputAfterglow = AFTERGLOW_BYTES;
    inputAfterglow = AFTERGLOW_BYTES;
    listener.ended(d, List.copyOf(files), outcome);
  }
}
