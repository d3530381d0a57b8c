package io.tether.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code forward DEVICE TARGET --listen ADDR:PORT --portal URL --token TOKEN [--ca FILE]
 * [--rfc2217] [--take-over] [--code-file FILE|-]}.
 */
record CliOptions(
    String device,
    String target,
    InetSocketAddress listen,
    URI portal,
    String token,
    Path ca,
    boolean rfc2217,
    boolean takeOver,
    Path codeFile) {
  /** A bad command line; the message is one line for the user. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static CliOptions parse(List<String> args, Map<String, String> env) throws UsageException {
    if (args.isEmpty() || !args.get(0).equals("forward")) {
      throw new UsageException("the only command is 'forward' (see --help)");
    }
    List<String> positional = new ArrayList<>();
    String listen = "127.0.0.1:4001";
    String portal = env.get("TETHER_PORTAL");
    String token = env.get("TETHER_TOKEN");
    String ca = env.get("TETHER_CA");
    boolean rfc2217 = false;
    boolean takeOver = false;
    String codeFile = null;
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        positional.add(a);
        continue;
      }
      if (a.equals("--rfc2217")) {
        rfc2217 = true;
        continue;
      }
      if (a.equals("--take-over")) {
        takeOver = true;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new UsageException(a + " needs a value");
      }
      String v = args.get(++i);
      switch (a) {
        case "--listen" -> listen = v;
        case "--portal" -> portal = v;
        case "--token" -> token = v;
        case "--ca" -> ca = v;
        case "--code-file" -> codeFile = v;
        default -> throw new UsageException("unknown option " + a + " (see --help)");
      }
    }
    if (portal == null || token == null) {
      java.util.Optional<Credentials> stored = stored(env);
      if (stored.isPresent()) { // what tether login keeps
        Credentials c = stored.get();
        portal = portal == null ? c.portal().toString() : portal;
        token = token == null ? c.token() : token;
        ca = ca == null ? c.ca() : ca;
      }
    }
    if (positional.size() != 2) {
      throw new UsageException(
          "usage: forward DEVICE TARGET --listen ADDR:PORT --portal URL --token TOKEN");
    }
    if (portal == null) {
      throw new UsageException(
          "--portal (or TETHER_PORTAL) is required, e.g. https://portal.example.com, or run"
              + " tether login first");
    }
    URI portalUri =
        URI.create(portal.endsWith("/") ? portal.substring(0, portal.length() - 1) : portal);
    if (!"http".equals(portalUri.getScheme()) && !"https".equals(portalUri.getScheme())) {
      throw new UsageException("--portal must be an http:// or https:// URL");
    }
    if (token == null || token.isBlank()) {
      throw new UsageException(
          "an API token is required: --token or TETHER_TOKEN, or run tether login first");
    }
    return new CliOptions(
        positional.get(0),
        positional.get(1),
        address(listen),
        portalUri,
        token.trim(),
        ca == null ? null : Path.of(ca),
        rfc2217,
        takeOver,
        codeFile == null ? null : Path.of(codeFile));
  }

  private static java.util.Optional<Credentials> stored(Map<String, String> env)
      throws UsageException {
    try {
      return Credentials.load(Credentials.file(env));
    } catch (java.io.IOException | RuntimeException e) {
      throw new UsageException("cannot read " + Credentials.file(env) + ": " + e.getMessage());
    }
  }

  private static InetSocketAddress address(String value) throws UsageException {
    int colon = value.lastIndexOf(':');
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      String host =
          colon <= 0 ? "127.0.0.1" : value.substring(0, colon).replace("[", "").replace("]", "");
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(host, port);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new UsageException("--listen must be ADDR:PORT, e.g. 127.0.0.1:4001");
    }
  }

  /** The forward socket's URL: ws(s)://host/api/forward?device=ID. */
  URI forwardUri(long deviceId) {
    return webSocket(portal, "/api/forward?device=" + deviceId);
  }

  /** A WebSocket URL on the portal: ws(s)://host[/prefix]{@code pathAndQuery}. */
  static URI webSocket(URI portal, String pathAndQuery) {
    String scheme = portal.getScheme().equals("https") ? "wss" : "ws";
    return URI.create(
        scheme + "://" + portal.getRawAuthority() + portal.getRawPath() + pathAndQuery);
  }
}
