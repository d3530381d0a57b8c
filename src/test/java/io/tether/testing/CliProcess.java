package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code target/tether-cli.jar forward DEVICE TARGET} as a process with -Xmx64m, listening on a
 * free loopback port; each {@link #connect()} becomes one channel to the device's target.
 */
public final class CliProcess implements AutoCloseable {
  public static final String MAX_HEAP = "64m";

  /** Log line once the forward socket is up and the port accepts connections. */
  public static final String FORWARDING = "tether-cli: forwarding ";

  private final JavaProcess process;
  private final int port;

  private CliProcess(JavaProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The command line of {@code forward DEVICE TARGET --listen 127.0.0.1:PORT …} (+ extra). */
  public static List<String> args(
      String device, String target, int port, String portalUrl, String token, List<String> extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "forward",
                device,
                target,
                "--listen",
                "127.0.0.1:" + port,
                "--portal",
                portalUrl,
                "--token",
                token));
    args.addAll(extra);
    return args;
  }

  /** Starts a forward and waits until it says it is forwarding; fails with its output if not. */
  public static CliProcess forward(
      String device, String target, String portalUrl, String token, List<String> extra) {
    int port = Ports.free();
    Path log = Build.workDir("cli-" + target).resolve("cli.log");
    JavaProcess p =
        JavaProcess.start(
            Build.artifact("tether-cli.jar"),
            MAX_HEAP,
            args(device, target, port, portalUrl, token, extra),
            Map.of(),
            log);
    Await.until(
        "tether-cli to forward " + device + "/" + target + " (log: " + log + ")",
        Duration.ofSeconds(30),
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError("tether-cli exited with " + p.exitCode() + ":\n" + p.output());
          }
          return p.output().contains(FORWARDING);
        });
    return new CliProcess(p, port);
  }

  public static CliProcess forward(String device, String target, String portalUrl, String token) {
    return forward(device, target, portalUrl, token, List.of());
  }

  /** Runs {@code forward …} expecting it to end by itself (an error case); its exit and output. */
  public static JavaProcess.Result run(List<String> args, Duration timeout) {
    return JavaProcess.run(Build.artifact("tether-cli.jar"), MAX_HEAP, args, Map.of(), timeout);
  }

  /** A new local connection: one channel through the portal to the target. */
  public Socket connect() {
    return connect(0);
  }

  /**
   * Like {@link #connect()}, with a fixed receive buffer when {@code receiveBuffer} is positive (no
   * kernel autotuning: a test that counts buffered bytes knows its own share).
   */
  public Socket connect(int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String log() {
    return process.output();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
