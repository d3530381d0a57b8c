package io.tether.wsclient;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few JSON fields the agent and the CLI read from the portal's answers, without a JSON library
 * in their small jars: top-level strings and numbers of a known, flat answer.
 */
public final class JsonFields {
  private JsonFields() {}

  /** The string value of {@code "name": "…"}, unescaped for \" and \\; empty when absent. */
  public static Optional<String> string(String body, String name) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(body == null ? "" : body);
    return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
  }

  /** The whole-number value of {@code "name": 123}; empty when absent or not a whole number. */
  public static Optional<Long> number(String body, String name) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d{1,18})(?![\\d.eE])")
            .matcher(body == null ? "" : body);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /** {@code value} as a JSON string literal. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        switch (next) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'u' -> {
            String hex = i + 4 < s.length() ? s.substring(i + 1, i + 5) : "";
            if (hex.matches("[0-9a-fA-F]{4}")) {
              out.append((char) Integer.parseInt(hex, 16));
              i += 4;
            } else {
              out.append("\\u");
            }
          }
          default -> out.append(next);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
