package io.tether.web;

import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of every response: only this origin's scripts, styles and sockets.
 */
final class ContentSecurityPolicy {
  /** A Host header that is a plain host[:port] (no spaces, quotes or semicolons to inject). */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

  private static final String BASE =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self'",
          // xterm.js creates <style> elements at run time (its DOM renderer's theme and
          // dimensions); without 'unsafe-inline' the terminal renders unstyled. Scripts stay
          // 'self' only, so this does not open a script injection path.
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "font-src 'self'",
          "object-src 'none'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "form-action 'self'");

  private ContentSecurityPolicy() {}

  /**
   * The policy for a request that named {@code host}. CSP 3 lets 'self' cover ws:/wss: to the same
   * host, but older Safari does not: the socket origins of this host are listed explicitly.
   */
  static String forHost(String host) {
    String connect = "connect-src 'self'";
    if (host != null && HOST.matcher(host).matches()) {
      connect += " ws://" + host + " wss://" + host;
    }
    return BASE + "; " + connect;
  }
}
