package io.tether.deviceweb;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A device's HTTP/1.x response status line and headers, parsed once they are all there. */
record ResponseHead(int status, String reason, List<String[]> headers, boolean http11) {
  /** A device whose response head is longer than this is broken or hostile: refused. */
  static final int MAX_HEAD = 64 * 1024;

  /** The first header of that name (case-insensitive). */
  Optional<String> header(String name) {
    return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
  }

  /** Whether the device keeps the connection open after this response (HTTP keep-alive). */
  boolean keepsAlive() {
    String connection = header("Connection").orElse("").toLowerCase(Locale.ROOT);
    return http11 ? !connection.contains("close") : connection.contains("keep-alive");
  }

  boolean chunked() {
    return header("Transfer-Encoding")
        .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
        .orElse(false);
  }

  /** Content-Length, or -1 when absent; throws when malformed. */
  long contentLength() {
    Optional<String> v = header("Content-Length");
    if (v.isEmpty()) {
      return -1;
    }
    String text = v.get().trim();
    if (!text.matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException("bad Content-Length '" + text + "'");
    }
    return Long.parseLong(text);
  }

  /** Accumulates bytes until the blank line that ends a head. */
  static final class Reader {
    private Buffer pending = Buffer.buffer();

    /**
     * Feeds bytes; answers the head once complete (then {@link #rest()} holds what followed it),
     * empty while more is needed. Throws when the head is malformed or too long.
     */
    Optional<ResponseHead> feed(Buffer in) {
      pending.appendBuffer(in);
      int end = find(pending);
      if (end < 0) {
        if (pending.length() > MAX_HEAD) {
          throw new IllegalArgumentException("response head longer than " + MAX_HEAD + " bytes");
        }
        return Optional.empty();
      }
      String text = pending.getString(0, end, StandardCharsets.ISO_8859_1.name());
      pending = pending.getBuffer(end + 4, pending.length());
      return Optional.of(parse(text));
    }

    /** No byte of a head has arrived. */
    boolean isEmpty() {
      return pending.length() == 0;
    }

    Buffer rest() {
      Buffer r = pending;
      pending = Buffer.buffer();
      return r;
    }

    private static int find(Buffer b) {
      for (int i = 0; i + 3 < b.length(); i++) {
        if (b.getByte(i) == '\r'
            && b.getByte(i + 1) == '\n'
            && b.getByte(i + 2) == '\r'
            && b.getByte(i + 3) == '\n') {
          return i;
        }
      }
      return -1;
    }
  }

  static ResponseHead parse(String text) {
    String[] lines = text.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2
        || !status[0].startsWith("HTTP/1.")
        || !status[1].matches("[1-5][0-9]{2}")) {
      throw new IllegalArgumentException("not an HTTP/1.x status line: '" + lines[0] + "'");
    }
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0 || Character.isWhitespace(lines[i].charAt(0))) {
        throw new IllegalArgumentException("bad header line '" + lines[i] + "'");
      }
      headers.add(
          new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
    }
    return new ResponseHead(
        Integer.parseInt(status[1]),
        status.length > 2 ? status[2] : "",
        headers,
        status[0].equals("HTTP/1.1"));
  }
}
