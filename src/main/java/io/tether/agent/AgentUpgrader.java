package io.tether.agent;

import io.tether.protocol.AgentUpgrade;
import io.tether.wsclient.ClientTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Carries out an UPGRADE (docs/protocol.md, section 15): checks the signature against the installed
 * key, fetches the jar over HTTPS from the portal (the tunnel's proxy and CA), checks its size,
 * SHA-256 and version, puts it where the launcher runs it on trial, and exits to be restarted on
 * it. Refusals go back to the portal in one line.
 */
final class AgentUpgrader implements AutoCloseable {
  /** The exit code that asks to be restarted on the new jar (EX_TEMPFAIL). */
  static final int RESTART_EXIT_CODE = 75;

  /** Set by the launcher, the only thing that can restart the agent on a new jar. */
  static final String LAUNCHER_ENV = "TETHER_AGENT_LAUNCHER";

  /** How long the close of the tunnel may take before the process exits anyway. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /** A 32 MiB jar over a slow mobile link still fits; a stuck download does not hold forever. */
  static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

  private final AgentOptions options;
  private final Map<String, String> env;
  private final Agent agent;
  private final IntConsumer exit;
  private final UpgradeFiles files;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "agent-upgrade");
            t.setDaemon(true);
            return t;
          });

  AgentUpgrader(AgentOptions options, Map<String, String> env, Agent agent, IntConsumer exit) {
    this.options = options;
    this.env = env;
    this.agent = agent;
    this.exit = exit;
    this.files = new UpgradeFiles(options.stateDir());
  }

  /** The portal offers {@code offer} on {@code session}; answered off the socket's thread. */
  void offered(AgentUpgrade offer, AgentSession session) {
    if (!busy.compareAndSet(false, true)) {
      session.upgradeFailed("an upgrade is already under way");
      return;
    }
    worker.execute(
        () -> {
          try {
            upgrade(offer, session);
          } catch (UpgradeCheck.Refused e) {
            files.discardIncoming();
            agent.log("upgrade to " + offer.version() + " refused: " + e.getMessage());
            session.upgradeFailed(e.getMessage());
            busy.set(false);
          } catch (RuntimeException e) {
            agent.log("upgrade to " + offer.version() + " failed: " + e);
            session.upgradeFailed("the agent failed: " + e.getMessage());
            busy.set(false);
          }
        });
  }

  private void upgrade(AgentUpgrade offer, AgentSession session) throws UpgradeCheck.Refused {
    if (options.upgradeKey() == null) {
      throw new UpgradeCheck.Refused(
          "this agent has no --upgrade-key, so it accepts no upgrades: reinstall it with the"
              + " portal's install script, or give it the portal's agent-signing.pub");
    }
    if (env.get(LAUNCHER_ENV) == null) {
      throw new UpgradeCheck.Refused(
          "this agent was not started by the tether-agent launcher, which alone can restart it on"
              + " a new jar");
    }
    UpgradeCheck.signed(offer, UpgradeCheck.readKey(options.upgradeKey()));
    agent.log("upgrading to " + offer.version() + ": fetching " + jarUrl(options.portal()));
    Path incoming;
    try {
      incoming = files.incoming();
      download(jarUrl(options.portal()), incoming, offer.size());
    } catch (IOException e) {
      throw new UpgradeCheck.Refused("cannot fetch the jar: " + e.getMessage());
    }
    UpgradeCheck.matches(incoming, offer);
    if (!session.live()) {
      throw new UpgradeCheck.Refused("the tunnel ended during the upgrade: not applied");
    }
    try {
      files.swap(incoming, offer.version());
    } catch (IOException e) {
      throw new UpgradeCheck.Refused("cannot put the jar in place: " + e.getMessage());
    }
    agent.log(
        "upgrade to "
            + offer.version()
            + " verified (SHA-256 and signature): restarting on it, on trial");
    agent.restartForUpgrade(); // no reconnect on this version once the tunnel closes
    session.closeForUpgrade(AgentUpgrade.RESTARTING + offer.version(), CLOSE_WAIT);
    exit.accept(RESTART_EXIT_CODE);
  }

  /** wss://host/prefix/tunnel → https://host/prefix/downloads/tether-agent.jar */
  static URI jarUrl(URI portal) {
    String scheme = "wss".equalsIgnoreCase(portal.getScheme()) ? "https" : "http";
    URI http =
        URI.create(scheme + portal.toString().substring(portal.getScheme().length()))
            .resolve("downloads/tether-agent.jar");
    return http;
  }

  /** Writes at most {@code size} bytes; a longer body is refused before it fills the disk. */
  private void download(URI url, Path into, long size) throws IOException, UpgradeCheck.Refused {
    HttpClient client;
    try {
      client = ClientTls.client(options.ca(), options.proxy());
    } catch (GeneralSecurityException e) {
      throw new IOException(e.getMessage(), e);
    }
    HttpResponse<InputStream> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(url).timeout(DOWNLOAD_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    try (InputStream in = response.body();
        OutputStream out = Files.newOutputStream(into)) {
      if (response.statusCode() != 200) {
        throw new UpgradeCheck.Refused(
            "the portal answered HTTP " + response.statusCode() + " for " + url);
      }
      byte[] buffer = new byte[16 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > size) {
          throw new UpgradeCheck.Refused(
              "the jar at " + url + " is longer than the " + size + " bytes signed");
        }
        out.write(buffer, 0, n);
      }
    }
  }

  /** Says once at start whether upgrades can be accepted, so a missing key is no surprise later. */
  void announce() {
    if (options.upgradeKey() == null) {
      agent.log("no --upgrade-key: upgrades the portal offers will be refused");
      return;
    }
    try {
      UpgradeCheck.readKey(options.upgradeKey());
    } catch (UpgradeCheck.Refused e) {
      agent.log(e.getMessage() + ": upgrades the portal offers will be refused");
    }
  }

  /** After WELCOME: confirms a trial of this version, and says once if the last one was undone. */
  void online() {
    try {
      files.rolledBack().ifPresent(why -> agent.log("the last upgrade was rolled back: " + why));
      files
          .confirm(Agent.VERSION)
          .ifPresent(v -> agent.log("upgrade to " + v + " confirmed: the launcher keeps this jar"));
    } catch (IOException e) {
      agent.log("cannot confirm the upgrade: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
