package io.tether.ops;

import java.io.InputStream;
import java.io.PrintStream;

/** Where a command reads its input and writes its lines; tests give it buffers. */
record Console(InputStream in, PrintStream out, PrintStream err) {
  static Console system() {
    return new Console(System.in, System.out, System.err);
  }
}
