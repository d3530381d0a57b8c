package io.tether.session;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Random terminal output, one complete token at a time: after each, a parser is at rest. */
final class RandomTerminalOutput {
  private RandomTerminalOutput() {}

  static byte[] token(SplittableRandom random) {
    String s =
        switch (random.nextInt(20)) {
          case 0 -> "\u001b[" + params(random) + (char) random.nextInt(0x40, 0x7F);
          case 1 -> "\u001b[?" + random.nextInt(2000) + (random.nextBoolean() ? "h" : "l");
          case 2 ->
              "\u001b]0;" + text(random, 200) + (random.nextBoolean() ? "\u0007" : "\u001b\\");
          case 3 -> "\u001bP" + text(random, 300) + "\u0007" + text(random, 50) + "\u001b\\";
          case 4 -> "\u001b" + "(()*+".charAt(random.nextInt(5)) + "B0AU".charAt(random.nextInt(4));
          case 5 -> "\u001b" + "78=>cDEHM".charAt(random.nextInt(9));
          case 6 -> "\u001b[" + params(random) + (random.nextBoolean() ? "\u0018" : "\u001a");
          case 7 -> "\u001b_" + text(random, 100) + "\u001b\\";
          case 8, 9 -> random.nextBoolean() ? "\r\n" : "\n";
          case 10, 11 -> new String(Character.toChars(codePoint(random)));
          default -> String.valueOf((char) random.nextInt(0x20, 0x7F));
        };
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String params(SplittableRandom random) {
    StringBuilder p = new StringBuilder();
    for (int i = random.nextInt(6); i > 0; i--) {
      p.append(random.nextInt(300)).append(i > 1 ? ";" : "");
    }
    return p.toString();
  }

  /** Text inside a string sequence: printable ASCII, newlines and multibyte characters. */
  private static String text(SplittableRandom random, int max) {
    StringBuilder t = new StringBuilder();
    for (int i = random.nextInt(max); i > 0; i--) {
      int kind = random.nextInt(10);
      t.appendCodePoint(
          kind == 0 ? '\n' : kind == 1 ? codePoint(random) : random.nextInt(0x20, 0x7F));
    }
    return t.toString();
  }

  private static int codePoint(SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> random.nextInt(0xA0, 0x800);
      case 1 -> random.nextInt(0x3000, 0xD000);
      default -> random.nextInt(0x1F300, 0x1FAFF);
    };
  }
}
