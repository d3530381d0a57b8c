package io.tether.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH client as a user runs it: in a terminal ({@code script} gives it a PTY, so it
 * goes raw and its {@code ~} escapes work), with one key, against the portal's SSH port. What the
 * test writes is typed; everything ssh prints (stdout and stderr share the terminal) is kept.
 */
final class SshClientProcess implements AutoCloseable {
  private final Process process;
  private final OutputStream keyboard;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final Thread reader;

  private SshClientProcess(Process process) {
    this.process = process;
    this.keyboard = process.getOutputStream();
    InputStream in = process.getInputStream();
    reader =
        new Thread(
            () -> {
              byte[] buf = new byte[4096];
              try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  synchronized (screen) {
                    screen.write(buf, 0, n);
                    screen.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "ssh-screen");
    reader.setDaemon(true);
    reader.start();
  }

  /** A key pair made by ssh-keygen in {@code dir}: the private key file; ".pub" beside it. */
  static Path keygen(Path dir, String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    Process p =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", "" + key)
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
    }
    return key;
  }

  static String publicKey(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /** {@code ssh -p PORT -i KEY LOGIN@127.0.0.1}, host keys learnt into {@code knownHosts}. */
  static SshClientProcess connect(int port, Path key, Path knownHosts, String login)
      throws IOException {
    return connect(port, List.of(key), knownHosts, login);
  }

  /** The same, offering {@code keys} one after another (as an agent with several keys does). */
  static SshClientProcess connect(int port, List<Path> keys, Path knownHosts, String login)
      throws IOException {
    List<String> ssh = new ArrayList<>(List.of("ssh", "-tt", "-p", Integer.toString(port)));
    for (Path key : keys) {
      ssh.add("-i");
      ssh.add(key.toString());
    }
    ssh.addAll(
        List.of(
            "-F",
            "/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "PreferredAuthentications=publickey",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            "UserKnownHostsFile=" + knownHosts,
            "-o",
            "LogLevel=ERROR",
            login + "@127.0.0.1"));
    String command = String.join(" ", ssh.stream().map(SshClientProcess::quote).toList());
    Process p =
        new ProcessBuilder("script", "-qefc", command, "/dev/null")
            .redirectErrorStream(true)
            .start();
    return new SshClientProcess(p);
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** Types {@code text} (the terminal passes it on as bytes: ssh's terminal is raw). */
  void type(String text) throws IOException {
    keyboard.write(text.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  String screen() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until the screen shows {@code text}; fails with what it shows. */
  void awaitScreen(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (screen) {
      while (!screen.toString(StandardCharsets.UTF_8).contains(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "ssh did not show '" + text + "' within " + timeout.toMillis() + " ms: " + screen());
        }
        screen.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits for ssh to end and answers its exit status; fails with the screen if it does not. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "ssh still runs after " + timeout.toMillis() + " ms; screen: " + screen());
    }
    reader.join(2000);
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }
}
