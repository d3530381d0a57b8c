package io.tether.wsclient;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An HTTP/1.1 response head (status line and headers), as a proxy or the portal answers. */
record HttpHead(int status, String reason, Map<String, List<String>> headers) {
  /** Heads larger than this are refused: an upgrade or CONNECT answer is a few hundred bytes. */
  static final int MAX_SIZE = 16 * 1024;

  /**
   * Takes a complete head from the start of {@code buffer} (filled up to its position) and moves
   * what follows it to the start; empty while the head is incomplete.
   */
  static Optional<HttpHead> take(ByteBuffer buffer) throws IOException {
    int end = -1;
    for (int i = 3; i < buffer.position(); i++) {
      if (buffer.get(i) == '\n'
          && buffer.get(i - 1) == '\r'
          && buffer.get(i - 2) == '\n'
          && buffer.get(i - 3) == '\r') {
        end = i + 1;
        break;
      }
    }
    if (end < 0) {
      if (buffer.position() > MAX_SIZE) {
        throw new IOException("the HTTP answer's head is larger than " + MAX_SIZE + " bytes");
      }
      return Optional.empty();
    }
    byte[] head = new byte[end];
    buffer.get(0, head);
    buffer.flip().position(end);
    buffer.compact();
    return Optional.of(parse(new String(head, StandardCharsets.ISO_8859_1)));
  }

  static HttpHead parse(String text) throws IOException {
    String[] lines = text.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 answer: " + lines[0]);
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + lines[0], e);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    return new HttpHead(code, status.length > 2 ? status[2] : "", headers);
  }

  /** The first value of a header (lower-case name), or "". */
  String first(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }
}
