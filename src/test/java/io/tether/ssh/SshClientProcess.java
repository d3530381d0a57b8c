package io.tether.ssh;

import io.tether.testing.TerminalProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH client as a user runs it, in a terminal ({@link TerminalProgram}: ssh goes raw
 * and its {@code ~} escapes work), with its keys, against the portal's SSH port.
 */
public final class SshClientProcess {
  private SshClientProcess() {}

  /** A key pair made by ssh-keygen in {@code dir}: the private key file; ".pub" beside it. */
  public static Path keygen(Path dir, String name) throws IOException, InterruptedException {
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

  public static String publicKey(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /**
   * {@code ssh -p PORT LOGIN@127.0.0.1} signing in with keyboard-interactive only (no key offered):
   * the test answers its prompts by typing.
   */
  public static TerminalProgram connectInteractive(int port, Path knownHosts, String login)
      throws IOException {
    return ssh(
        port,
        List.of(
            "PubkeyAuthentication=no",
            "PreferredAuthentications=keyboard-interactive",
            "NumberOfPasswordPrompts=1"),
        List.of(),
        knownHosts,
        login);
  }

  /** {@code ssh -p PORT -i KEY LOGIN@127.0.0.1}, host keys learnt into {@code knownHosts}. */
  public static TerminalProgram connect(int port, Path key, Path knownHosts, String login)
      throws IOException {
    return connect(port, List.of(key), knownHosts, login);
  }

  /** The same, offering {@code keys} one after another (as an agent with several keys does). */
  public static TerminalProgram connect(int port, List<Path> keys, Path knownHosts, String login)
      throws IOException {
    return ssh(
        port,
        List.of("IdentitiesOnly=yes", "IdentityAgent=none", "PreferredAuthentications=publickey"),
        keys,
        knownHosts,
        login);
  }

  /**
   * {@code ssh -N -L LOCAL:TARGET:1 -i KEY LOGIN@127.0.0.1}: a local port forwarded to a TCP target
   * of the device the login names, no shell.
   */
  public static TerminalProgram forward(
      int port, Path key, Path knownHosts, String login, int localPort, String target)
      throws IOException {
    return ssh(
        port,
        List.of(
            "IdentitiesOnly=yes",
            "IdentityAgent=none",
            "PreferredAuthentications=publickey",
            "ExitOnForwardFailure=yes"),
        List.of(key),
        knownHosts,
        login,
        "-N",
        "-L",
        "127.0.0.1:" + localPort + ":" + target + ":1");
  }

  /** OpenSSH with no user config, {@code options} ({@code -o}), host keys learnt as it goes. */
  private static TerminalProgram ssh(
      int port,
      List<String> options,
      List<Path> keys,
      Path knownHosts,
      String login,
      String... args)
      throws IOException {
    List<String> ssh =
        new ArrayList<>(List.of("ssh", "-tt", "-p", Integer.toString(port), "-F", "/dev/null"));
    ssh.addAll(List.of(args));
    for (Path key : keys) {
      ssh.add("-i");
      ssh.add(key.toString());
    }
    List<String> all = new ArrayList<>(options);
    all.addAll(
        List.of(
            "StrictHostKeyChecking=accept-new",
            "UserKnownHostsFile=" + knownHosts,
            "LogLevel=ERROR"));
    for (String option : all) {
      ssh.add("-o");
      ssh.add(option);
    }
    ssh.add(login + "@127.0.0.1");
    return TerminalProgram.start(ssh, Map.of());
  }
}
