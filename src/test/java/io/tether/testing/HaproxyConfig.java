package io.tether.testing;

import io.tether.boot.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped deploy/haproxy/haproxy.cfg and the few places a test changes in it, exactly those a
 * user edits or that would need root's paths: the two bind addresses, the certificate path, the
 * stats socket path and the server lines (one per node, in the shipped lines' form). Every other
 * line (timeouts, checks, retries, headers) runs as shipped. An edit whose text the file no longer
 * has fails, so the file and its tests cannot drift apart silently.
 */
public final class HaproxyConfig {
  /** Where the shipped file is, from the build directory. */
  public static final String SHIPPED = "deploy/haproxy/haproxy.cfg";

  /** A server line of the shipped list: "server NAME ADDRESS:PORT" and nothing else. */
  private static final Pattern SERVER = Pattern.compile("^    server (node\\d+) (\\S+)$");

  private static final Pattern CHECK =
      Pattern.compile("^\\s*default-server check inter (\\S+) fall (\\d+) rise (\\d+)$");

  private final String text;

  private HaproxyConfig(String text) {
    this.text = text;
  }

  /** The file as shipped. */
  public static HaproxyConfig shipped() {
    try {
      return new HaproxyConfig(Files.readString(Build.dir().getParent().resolve(SHIPPED)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String text() {
    return text;
  }

  /**
   * The same file serving {@code certificate}, written into {@code dir} as HAProxy takes it: one
   * PEM with the certificate and its key.
   */
  public HaproxyConfig certificate(SelfSignedCertificate certificate, Path dir) {
    Path pem = dir.resolve("tether.pem");
    try {
      Files.writeString(
          pem,
          Files.readString(certificate.certificate()) + Files.readString(certificate.privateKey()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return edit("crt /etc/haproxy/certs/tether.pem", "crt " + pem);
  }

  /** The same file listening on {@code host} for HTTPS and plain HTTP (the redirect). */
  public HaproxyConfig bind(String host, int httpsPort, int httpPort) {
    return edit("bind :443 ", "bind " + host + ":" + httpsPort + " ")
        .edit("bind :80\n", "bind " + host + ":" + httpPort + "\n");
  }

  /** The same file with its admin socket at {@code socket}. */
  public HaproxyConfig statsSocket(Path socket) {
    return edit("stats socket /run/haproxy/admin.sock ", "stats socket " + socket + " ");
  }

  /**
   * The same file with the shipped server list replaced by one line per node, named node1, node2…
   * in order, in the form of the shipped lines.
   */
  public HaproxyConfig servers(List<InetSocketAddress> nodes) {
    List<String> out = new ArrayList<>();
    boolean replaced = false;
    for (String line : text.split("\n", -1)) {
      if (!SERVER.matcher(line).matches()) {
        out.add(line);
      } else if (!replaced) {
        for (int i = 0; i < nodes.size(); i++) {
          InetSocketAddress node = nodes.get(i);
          out.add("    server node" + (i + 1) + " " + node.getHostString() + ":" + node.getPort());
        }
        replaced = true;
      }
    }
    if (!replaced) {
      throw new AssertionError(SHIPPED + " no longer has lines \"    server nodeN ADDRESS:PORT\"");
    }
    return new HaproxyConfig(String.join("\n", out));
  }

  /**
   * How long after a node's readiness goes DOWN HAProxy has marked it down at the latest: {@code
   * fall} failed checks {@code inter} apart, plus the one in flight with its {@code timeout check}.
   */
  public Duration detectionTime() {
    for (String line : text.split("\n")) {
      Matcher m = CHECK.matcher(line);
      if (m.matches()) {
        Duration inter = Durations.parse(m.group(1));
        return inter.multipliedBy(Long.parseLong(m.group(2))).plus(durationOf("timeout check"));
      }
    }
    throw new AssertionError(
        SHIPPED + " has no \"default-server check inter DURATION fall N rise N\"");
  }

  /**
   * How long HAProxy takes at the latest to mark down a node that stopped answering at all (frozen,
   * not refusing): each of its {@code fall} checks, and the one in flight when it froze, waits out
   * {@code timeout check} before failing, {@code inter} after the one before.
   */
  public Duration detectionTimeOfASilentNode() {
    for (String line : text.split("\n")) {
      Matcher m = CHECK.matcher(line);
      if (m.matches()) {
        Duration inter = Durations.parse(m.group(1));
        return inter.plus(durationOf("timeout check")).multipliedBy(Long.parseLong(m.group(2)) + 1);
      }
    }
    throw new AssertionError(
        SHIPPED + " has no \"default-server check inter DURATION fall N rise N\"");
  }

  /**
   * The duration of the line that starts with {@code directive} and a duration ("timeout tunnel
   * 1h", "http-request set-timeout tunnel 2m if { path /tunnel }").
   */
  public Duration durationOf(String directive) {
    Matcher m =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(directive) + " (\\d+(?:s|m|h))( .*)?$")
            .matcher(text);
    if (!m.find()) {
      throw new AssertionError(SHIPPED + " has no \"" + directive + " DURATION\"");
    }
    return Durations.parse(m.group(1));
  }

  /** The commented TCP section for link and ingress ports, uncommented (to check its syntax). */
  public HaproxyConfig withLinkSectionUncommented() {
    String marker = "#frontend tether_links";
    int at = text.indexOf(marker);
    if (at < 0) {
      throw new AssertionError(SHIPPED + " no longer has \"" + marker + "\"");
    }
    return new HaproxyConfig(text.substring(0, at) + text.substring(at).replaceAll("(?m)^#", ""));
  }

  /**
   * The TCP section uncommented and pointed at this test's ranges: link ports {@code linkPorts} and
   * ingress ports {@code ingressPorts} ("FIRST-LAST") bound on {@code host}, sent with PROXY
   * protocol v2 to the same port on each of {@code nodeHosts}.
   */
  public HaproxyConfig linkAndIngress(
      String host, String linkPorts, String ingressPorts, List<String> nodeHosts) {
    HaproxyConfig open =
        withLinkSectionUncommented()
            .edit("    bind :20000-20999\n", "    bind " + host + ":" + linkPorts + "\n")
            .edit("    bind :21000-21999\n", "    bind " + host + ":" + ingressPorts + "\n");
    List<String> out = new ArrayList<>();
    boolean replaced = false;
    for (String line : open.text.split("\n", -1)) {
      if (!LINK_SERVER.matcher(line).matches()) {
        out.add(line);
      } else if (!replaced) {
        for (int i = 0; i < nodeHosts.size(); i++) {
          String node = "node" + (i + 1);
          out.add(
              "    server "
                  + node
                  + " "
                  + nodeHosts.get(i)
                  + " send-proxy-v2 track "
                  + HaproxyProcess.BACKEND
                  + "/"
                  + node);
        }
        replaced = true;
      }
    }
    if (!replaced) {
      throw new AssertionError(SHIPPED + " no longer has the link section's server lines");
    }
    return new HaproxyConfig(String.join("\n", out));
  }

  private static final Pattern LINK_SERVER =
      Pattern.compile("^    server node\\d+ \\S+ send-proxy-v2 track \\S+$");

  /** Writes the file to {@code path}. */
  public Path write(Path path) {
    try {
      Files.writeString(path, text);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HaproxyConfig edit(String what, String with) {
    if (!text.contains(what)) {
      throw new AssertionError(SHIPPED + " no longer contains \"" + what.strip() + "\"");
    }
    return new HaproxyConfig(text.replace(what, with));
  }
}
