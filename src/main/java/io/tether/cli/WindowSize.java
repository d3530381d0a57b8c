package io.tether.cli;

import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * The local terminal's size for {@code tether connect}: read with {@code stty size}, and read again
 * on SIGWINCH (Linux and macOS; through {@code sun.misc.Signal} by reflection, from the JDK's
 * {@code jdk.unsupported} module). Where either is missing the session gets no size, as a browser
 * that never resizes: nothing breaks.
 */
final class WindowSize {
  /** Columns and rows. */
  record Size(int cols, int rows) {
    String json() {
      return "{\"type\":\"resize\",\"cols\":" + cols + ",\"rows\":" + rows + "}";
    }
  }

  private WindowSize() {}

  /** The terminal's size now, if stdin is one and stty answers. */
  static Optional<Size> now() {
    try {
      return parse(Tty.stty("size"));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** {@code stty size}'s answer, "ROWS COLS". */
  static Optional<Size> parse(String sttySize) {
    String[] parts = sttySize.strip().split("\\s+");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      int rows = Integer.parseInt(parts[0]);
      int cols = Integer.parseInt(parts[1]);
      return rows >= 1 && cols >= 1 && rows <= 65535 && cols <= 65535
          ? Optional.of(new Size(cols, rows))
          : Optional.empty(); // 0 0: a terminal that does not know its size
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code changed} on each SIGWINCH; false when this JVM or platform has no such signal. */
  static boolean onChange(Runnable changed) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object winch = signal.getConstructor(String.class).newInstance("WINCH");
      Object h =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  changed.run();
                }
                return null;
              });
      signal.getMethod("handle", signal, handler).invoke(null, winch, h);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false; // no SIGWINCH here (Windows), or the JDK hides it
    }
  }
}
