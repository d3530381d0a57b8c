package io.tether.session;

import java.util.Locale;

/** One file of a ZMODEM transfer the portal saw go by: what the recording and audit say of it. */
record FileTransfer(Direction direction, String name, long size) {
  /** Which way the file went. */
  enum Direction {
    DOWNLOAD("device → user"),
    UPLOAD("user → device");

    final String label;

    Direction(String label) {
      this.label = label;
    }
  }

  /** How a transfer ended; the wire name is the audit's outcome. */
  enum Outcome {
    COMPLETE,
    CANCELLED,
    INTERRUPTED;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code ZMODEM: file.bin, 2.0 MiB, device → user}. */
  String note() {
    return "ZMODEM: " + name + ", " + sizeLabel(size) + ", " + direction.label;
  }

  /** The audit's detail: direction, name, size in bytes, outcome. */
  String auditDetail(Outcome outcome) {
    return direction.label
        + ", "
        + name
        + ", "
        + (size < 0 ? "size unknown" : size + " bytes")
        + ", "
        + outcome.wireName();
  }

  static String sizeLabel(long bytes) {
    if (bytes < 0) {
      return "size unknown";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes / 1024.0;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
