package io.tether.testing;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic text such as a device's console prints: timestamped log lines with colour escapes,
 * each a message of a few kinds with numbers that change, from a seeded generator, so no two lines
 * repeat (a repeated line would compress far better than any real console). DEFLATE at its fastest
 * level keeps about a fifth of it; {@code ls -laR --color} output of a Debian system: about a
 * tenth.
 */
public final class TerminalText {
  private static final String[] LEVELS = {
    "\u001b[32mINFO\u001b[0m ",
    "\u001b[33mWARN\u001b[0m ",
    "\u001b[36mDEBUG\u001b[0m",
    "\u001b[31mERROR\u001b[0m"
  };

  /** What a console says, each with a field or two that changes from line to line. */
  private static final String[] MESSAGES = {
    "modbus: read %d holding registers from slave 3 at 0x%04x: ok",
    "modbus: slave %d did not answer within %d ms",
    "uart0: %d bytes received, %d framing errors",
    "dhcp: lease of 192.168.1.%d renewed for %d s",
    "net.eth0: link up, 100 Mbit/s full duplex, %d packets queued (%d dropped)",
    "sensor.temp: probe %d reads %d mC",
    "relay: output %d switched on by schedule entry %d",
    "ntp: clock adjusted by %d us, drift %d ppm",
    "watchdog: fed after %d ms (limit %d ms)",
    "fs.flash: block %d erased and written, %d writes left",
  };

  private TerminalText() {}

  /** {@code n} bytes of console text, the same for the same seed. */
  public static byte[] of(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder(n + 200);
    long millis = 1_700_000_000_000L;
    while (text.length() < n) {
      millis += random.nextInt(1, 400);
      text.append(String.format("[%10.3f] ", (millis % 10_000_000) / 1000.0))
          .append(LEVELS[random.nextInt(LEVELS.length)])
          .append(' ')
          .append(
              String.format(
                  MESSAGES[random.nextInt(MESSAGES.length)],
                  random.nextInt(1, 256),
                  random.nextInt(10, 2000)));
      text.append("\r\n");
    }
    byte[] all = text.toString().getBytes(StandardCharsets.US_ASCII);
    return java.util.Arrays.copyOf(all, n);
  }
}
