package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The portal's passive ZMODEM watcher over byte streams recorded from Debian's lrzsz ({@code sz}
 * and {@code rz} talking through pipes, one playing the device; see zmodem/README.md), and over the
 * failure modes built from them: cancel, a missing "OO", silence.
 */
class ZmodemWatcherTest {
  private static final byte[] ABORT = {0x18, 0x18, 0x18, 0x18, 0x18}; // zmodem.js's abort
  private static final byte[] PROMPT = "\r\n$ ".getBytes(StandardCharsets.US_ASCII);

  /** One write of the recording: device output or input to the device. */
  record Write(boolean output, byte[] data) {}

  /** What the session was told: the text runs each way and the transfer's events, in order. */
  static final class Seen implements ZmodemWatcher.Listener {
    final ByteArrayOutputStream outputText = new ByteArrayOutputStream();
    final ByteArrayOutputStream inputText = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    long hiddenBytes;

    @Override
    public void started(FileTransfer.Direction direction) {
      events.add("started " + direction);
    }

    @Override
    public void file(FileTransfer file) {
      events.add(file.note());
    }

    @Override
    public void ended(
        FileTransfer.Direction direction, List<FileTransfer> files, FileTransfer.Outcome outcome) {
      events.add("ended " + outcome.wireName() + " with " + files.size() + " file(s)");
    }

    String outputText() {
      return outputText.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void downloadIsMarkedWithNameSizeAndDirection() throws IOException {
    Seen seen = replay(load("download"), Integer.MAX_VALUE);
    assertEquals(
        List.of(
            "started DOWNLOAD",
            "ZMODEM: small.bin, 2.9 KiB, device → user",
            "ended complete with 1 file(s)"),
        seen.events);
    assertEquals("sz small.bin\r\nrz\r\r\n$ ", seen.outputText(), "text around it untouched");
    assertEquals(0, seen.inputText.size(), "the browser's answers are all transfer");
  }

  @Test
  void uploadIsMarkedFromTheFileHeaderInTheInput() throws IOException {
    Seen seen = replay(load("upload"), Integer.MAX_VALUE);
    assertEquals(
        List.of(
            "started UPLOAD",
            "ZMODEM: small.bin, 2.9 KiB, user → device",
            "ended complete with 1 file(s)"),
        seen.events);
    assertEquals("rz\r\n\r\n$ ", seen.outputText());
    assertEquals(
        "rz\r**\u0018B00000000000000\r\u008a\u0011", // recorded: sz spoke before rz had started
        seen.inputText.toString(StandardCharsets.ISO_8859_1),
        "only what came before the device's ZRINIT is text");
  }

  @Test
  void everyFileOfATransferIsMarked() throws IOException {
    Seen seen = replay(load("two-files"), Integer.MAX_VALUE);
    assertEquals(
        List.of(
            "started DOWNLOAD",
            "ZMODEM: small.bin, 2.9 KiB, device → user",
            "ZMODEM: b.bin, 1000 B, device → user",
            "ended complete with 2 file(s)"),
        seen.events);
  }

  @Test
  void chunkBoundariesDoNotChangeWhatIsSeen() throws IOException {
    List<Write> writes = load("download");
    Seen whole = replay(writes, Integer.MAX_VALUE);
    for (int size : new int[] {1, 3, 7, 64}) {
      Seen split = replay(writes, size);
      assertEquals(whole.events, split.events, "fed in pieces of " + size);
      assertTrue(split.outputText().endsWith("\r\n$ "), "the prompt is text: " + size);
      assertTrue(
          split.outputText().length() <= whole.outputText().length() + 5,
          "at most the start header's first bytes leak into the text, in pieces of " + size);
    }
  }

  @Test
  void aSessionThatNeverSeesOoEndsCompleteAtTheNextText() throws IOException {
    List<Write> writes = new ArrayList<>(load("download"));
    assertTrue(writes.removeIf(w -> w.output() && Arrays.equals(w.data(), "OO".getBytes())));
    Seen seen = replay(writes, Integer.MAX_VALUE);
    assertEquals("ended complete with 1 file(s)", seen.events.get(seen.events.size() - 1));
    assertTrue(seen.outputText().endsWith("rz\r\r\n$ "), seen.outputText());
  }

  @Test
  void cancelFromTheBrowserDuringADownloadEndsItCancelled() throws IOException {
    List<Write> writes = new ArrayList<>(load("download").subList(0, 6)); // into the data
    writes.add(new Write(false, ABORT));
    writes.add(new Write(true, lrzszAbortThen(PROMPT)));
    Seen seen = replay(writes, Integer.MAX_VALUE);
    assertEquals("ended cancelled with 1 file(s)", seen.events.get(seen.events.size() - 1));
    assertTrue(seen.outputText().endsWith("rz\r\r\n$ "), "the shell is text again");
  }

  @Test
  void aCancelledDownloadHidesWhatTheDeviceStillSendsUntilItsOwnAbort() throws IOException {
    List<Write> download = load("download");
    List<Write> writes = new ArrayList<>(download.subList(0, 4));
    writes.add(new Write(false, ABORT));
    writes.add(download.get(5)); // file data that was on its way
    writes.add(new Write(true, lrzszAbortThen(PROMPT)));
    Seen seen = replay(writes, Integer.MAX_VALUE);
    assertEquals("ended cancelled with 1 file(s)", seen.events.get(seen.events.size() - 1));
    assertEquals("sz small.bin\r\nrz\r\r\n$ ", seen.outputText(), "no file data as text");
  }

  @Test
  void aCancelledDownloadEndsWhenTheDeviceGoesQuiet() throws IOException {
    List<Write> writes = new ArrayList<>(load("download").subList(0, 4));
    writes.add(new Write(false, ABORT));
    Seen seen = new Seen();
    ZmodemWatcher watcher = new ZmodemWatcher(seen);
    feed(watcher, seen, writes, Integer.MAX_VALUE, 0);
    watcher.idle(ZmodemWatcher.ABORT_QUIET_NANOS - 1);
    assertTrue(watcher.active(), "the device may still answer");
    watcher.idle(ZmodemWatcher.ABORT_QUIET_NANOS);
    assertEquals("ended cancelled with 1 file(s)", seen.events.get(seen.events.size() - 1));
  }

  @Test
  void cancelDuringAnUploadEndsItCancelled() throws IOException {
    List<Write> upload = load("upload");
    List<Write> writes = new ArrayList<>();
    for (Write w : upload) {
      writes.add(w);
      if (!w.output() && w.data().length > 1000) {
        break; // the browser is sending file data
      }
    }
    writes.add(new Write(false, ABORT));
    writes.add(new Write(true, lrzszAbortThen(PROMPT)));
    Seen seen = replay(writes, Integer.MAX_VALUE);
    assertEquals(
        List.of(
            "started UPLOAD",
            "ZMODEM: small.bin, 2.9 KiB, user → device",
            "ended cancelled with 1 file(s)"),
        seen.events);
    assertTrue(seen.outputText().endsWith("\r\n$ "));
  }

  @Test
  void silenceEndsATransferInterrupted() throws IOException {
    List<Write> writes = load("download").subList(0, 4);
    Seen seen = new Seen();
    ZmodemWatcher watcher = new ZmodemWatcher(seen);
    feed(watcher, seen, writes, Integer.MAX_VALUE, 1_000);
    watcher.idle(1_000 + ZmodemWatcher.SILENCE_NANOS - 1);
    assertTrue(watcher.active(), "still within the bound");
    watcher.idle(1_000 + ZmodemWatcher.SILENCE_NANOS);
    assertFalse(watcher.active());
    assertEquals("ended interrupted with 1 file(s)", seen.events.get(seen.events.size() - 1));
  }

  @Test
  void onlyTheDeviceStartsATransfer() {
    Seen seen = new Seen();
    ZmodemWatcher watcher = new ZmodemWatcher(seen);
    byte[] zrqinit = "**\u0018B00000000000000\r\n".getBytes(StandardCharsets.ISO_8859_1);
    watcher.input(zrqinit, zrqinit.length, 0, runs(seen, false, zrqinit));
    assertFalse(watcher.active(), "typed by the user");
    byte[] zfin = "**\u0018B0800000000022d\r\n".getBytes(StandardCharsets.ISO_8859_1);
    watcher.output(zfin, zfin.length, 0, runs(seen, true, zfin));
    assertFalse(watcher.active(), "a ZFIN alone starts nothing");
    assertEquals(List.of(), seen.events);
  }

  @Test
  void fileInfoPastTheLimitIsNotRead() throws IOException {
    List<Write> writes = new ArrayList<>(load("download").subList(0, 3));
    ByteArrayOutputStream zfile = new ByteArrayOutputStream();
    zfile.writeBytes(new byte[] {'*', 0x18, 'C', 4, 0, 0, 0, 0, 1, 2, 3, 4});
    zfile.writeBytes("n".repeat(ZmodemScanner.MAX_FILE_INFO + 1).getBytes());
    zfile.writeBytes(new byte[] {0, '1', 0x18, 'k'});
    writes.add(new Write(true, zfile.toByteArray()));
    writes.add(new Write(true, ABORT)); // the device gives up
    Seen seen = replay(writes, Integer.MAX_VALUE);
    assertEquals(List.of("started DOWNLOAD", "ended cancelled with 0 file(s)"), seen.events);
  }

  @Test
  void sizesReadAsPeopleWriteThem() {
    assertEquals("2.0 MiB", FileTransfer.sizeLabel(2 * 1024 * 1024));
    assertEquals("1000 B", FileTransfer.sizeLabel(1000));
    assertEquals("size unknown", FileTransfer.sizeLabel(-1));
  }

  private static byte[] lrzszAbortThen(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 10; i++) {
      out.write(0x18);
    }
    for (int i = 0; i < 10; i++) {
      out.write(0x08);
    }
    out.writeBytes(text);
    return out.toByteArray();
  }

  private static Seen replay(List<Write> writes, int pieces) {
    Seen seen = new Seen();
    feed(new ZmodemWatcher(seen), seen, writes, pieces, 0);
    return seen;
  }

  private static void feed(
      ZmodemWatcher watcher, Seen seen, List<Write> writes, int pieces, long nanos) {
    for (Write w : writes) {
      byte[] d = w.data();
      for (int at = 0; at < d.length; at = (int) Math.min(d.length, (long) at + pieces)) {
        byte[] piece = Arrays.copyOfRange(d, at, (int) Math.min(d.length, (long) at + pieces));
        if (w.output()) {
          watcher.output(piece, piece.length, nanos, runs(seen, true, piece));
        } else {
          watcher.input(piece, piece.length, nanos, runs(seen, false, piece));
        }
      }
    }
  }

  private static ZmodemWatcher.Runs runs(Seen seen, boolean output, byte[] piece) {
    ByteArrayOutputStream text = output ? seen.outputText : seen.inputText;
    int[] next = {0};
    return (from, to, transfer) -> {
      assertEquals(next[0], from, "runs follow each other");
      next[0] = to;
      if (transfer) {
        seen.hiddenBytes += to - from;
      } else {
        text.write(piece, from, to - from);
      }
    };
  }

  /** A recording: records of a direction byte ('O' output, 'I' input), a length, the bytes. */
  static List<Write> load(String name) throws IOException {
    try (InputStream in = ZmodemWatcherTest.class.getResourceAsStream("zmodem/" + name + ".zlog")) {
      ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
      List<Write> writes = new ArrayList<>();
      while (b.hasRemaining()) {
        boolean output = b.get() == 'O';
        byte[] data = new byte[b.getInt()];
        b.get(data);
        writes.add(new Write(output, data));
      }
      return writes;
    }
  }
}
