package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;

/**
 * Terminal output as a device prints it: text, multi-byte UTF-8 characters and escape sequences
 * (CSI colours and cursor moves, OSC titles), with the offsets where a unit ends — the only places
 * a resynchronised screen may start.
 */
final class TerminalStream {
  private static final String[] UNITS = {
    "\u001b[31m",
    "\u001b[0m",
    "\u001b[2J\u001b[H",
    "\u001b[12;40H",
    "\u001b]0;title of the console\u0007",
    "é",
    "ü",
    "€",
    "漢",
    "😀",
    "─",
    "│",
    "\r\n",
    "login: ",
    "root",
    " ",
    "ok",
    "[ 12.345678] usb 1-1: new device\r\n"
  };

  private static final ThreadLocal<TreeSet<Integer>> BOUNDARIES =
      ThreadLocal.withInitial(TreeSet::new);

  private TerminalStream() {}

  static byte[] generate(Random random, int atLeast) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TreeSet<Integer> boundaries = new TreeSet<>();
    boundaries.add(0);
    while (out.size() < atLeast) {
      byte[] unit = UNITS[random.nextInt(UNITS.length)].getBytes(StandardCharsets.UTF_8);
      out.write(unit, 0, unit.length);
      boundaries.add(out.size());
    }
    BOUNDARIES.set(boundaries);
    return out.toByteArray();
  }

  /** {@code recent} is the stream's tail and starts where a unit starts. */
  static void assertSuffixFromBoundary(byte[] stream, byte[] recent) {
    int start = stream.length - recent.length;
    assertTrue(start >= 0, "more recent output than the stream had");
    assertTrue(
        Arrays.equals(stream, start, stream.length, recent, 0, recent.length),
        "the recent output is the stream's tail");
    assertTrue(
        BOUNDARIES.get().contains(start),
        "the recent output starts inside an escape sequence or a character, at offset " + start);
  }
}
