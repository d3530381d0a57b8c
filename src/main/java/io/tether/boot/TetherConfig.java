package io.tether.boot;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tether's own settings, typed. Each is declared once, with its variable and default, in {@link
 * Setting}; application.properties maps it from that variable, so no default is repeated here.
 */
@ConfigMapping(prefix = "tether")
public interface TetherConfig {
  /** Where the embedded database, node identity and secrets live. */
  Path dataDir();

  /** The secret.key shared by every node, read instead of the data dir's; checked at boot. */
  Optional<Path> secretKeyFile();

  /** Where the agent's jar and package for {@code /downloads/} are; unset: beside quarkus-app. */
  Optional<Path> downloadsDir();

  /** Agents older than this are flagged outdated; unset: none are. */
  Optional<String> agentMinVersion();

  /** An agent upgrade unanswered this long is closed as failed by any node. */
  Duration agentUpgradeTimeout();

  /** The URL users reach the portal at; decides cookie flags and the allowed Origin. */
  Optional<String> publicUrl();

  /** Where device web pages are served ({@link WebDomain}); unset: nowhere. Checked at boot. */
  Optional<String> webDomain();

  /** Tests only: a plain http {@code .localhost} web domain is allowed. */
  boolean webDomainInsecureLoopbackForTests();

  /** Password for the first admin; random (printed once) when unset. */
  Optional<String> adminPassword();

  /** Reverse proxies whose X-Forwarded-For and -Proto are believed (addresses or CIDRs). */
  Optional<List<String>> trustedProxies();

  Cluster cluster();

  Tunnel tunnel();

  Auth auth();

  Recording recording();

  ConsoleLog consoleLog();

  Links links();

  Ingress ingress();

  Limits limits();

  Ssh ssh();

  /** The SSH front door (docs/ssh.md). */
  interface Ssh {
    /** Its port; empty: no SSH server. */
    Optional<Integer> port();

    /** The address it listens on. */
    String bind();

    /** The host key file; empty: {@code ssh_host_key} in the data dir. */
    Optional<Path> hostKeyFile();

    /** A session with no input from its user for this long is closed. */
    Duration idleTimeout();
  }

  Webhooks webhooks();

  Mail mail();

  /** Outgoing e-mail for alerts (docs/alerts.md): off while no SMTP host is set. */
  interface Mail {
    /** The SMTP server; empty: no mail is sent. */
    Optional<String> host();

    int port();

    /** {@code starttls} (required), {@code tls} (from the first byte) or {@code none}. */
    String security();

    Optional<String> username();

    Optional<String> password();

    /** A file holding the password (read at each connection), instead of {@code password}. */
    Optional<Path> passwordFile();

    /** The sender; empty: {@code tether@} and the host of the public URL (or this host). */
    Optional<String> from();

    /** Alerts arriving within this long of a user's last alert mail wait for one digest. */
    Duration digestWindow();
  }

  /** Where webhooks may be sent and how often they are retried (docs/webhooks.md). */
  interface Webhooks {
    /** Addresses refused by default that webhooks may be sent to all the same. */
    Optional<List<String>> allow();

    /** Refuse private ranges too. */
    boolean denyPrivate();

    /** Waits between attempts; after the last one a delivery has failed. */
    List<Duration> retrySchedule();
  }

  Alerts alerts();

  /** When drops become events (docs/webhooks.md, "Offline grace and storms"). */
  interface Alerts {
    /** A device back within this raises no device.offline; a group may set its own. */
    Duration offlineGrace();

    /** More drops than this within an hour raise one device.flapping. */
    int flappingDrops();
  }

  /** Several nodes on one PostgreSQL: on when this node has an internal URL. */
  interface Cluster {
    /** This node's internal URL; empty: one node, nothing shared. */
    Optional<String> nodeUrl();

    /** The relay listener's certificate and key (PEM files) for an https node URL. */
    Optional<String> tlsCert();

    Optional<String> tlsKey();

    /** The cluster's CA (PEM): the only issuer trusted when relaying to another node over TLS. */
    Optional<String> ca();
  }

  /** Per-user bounds on long-lived sockets. */
  interface Limits {
    /**
     * Live sockets of each kind (terminal, data flow, event stream, forward, SSH session) one user
     * may hold: a few browser tabs and CLIs need far fewer, and each socket holds buffers, so a
     * script opening sockets in a loop cannot hold the node's memory.
     */
    int socketsPerUser();
  }

  /** Raw TCP ingress: one port per raw device, dialled by its device server. */
  interface Ingress {
    /** The pool ingress ports come from, {@code FIRST-LAST}; below the ephemeral range. */
    String ports();

    /** The address ingress ports listen on. */
    String bind();

    /**
     * Whether every connection starts with a PROXY protocol v2 header from a trusted balancer,
     * naming the device server it accepted ({@code on}/{@code off}).
     */
    boolean proxyProtocol();

    /**
     * Connect-string guessing: an address that sends 5 wrong connect strings within this window is
     * refused unread until it ends; refusals are audited once per address and window. 5 minutes
     * caps guessing at 60 an hour per address, and a unit whose string was fixed waits at most
     * that.
     */
    Duration guessWindow();
  }

  /** Link ports: TCP ports on the portal tied to device targets. */
  interface Links {
    /**
     * The pool link ports come from, {@code FIRST-LAST}; kept below Linux's ephemeral range
     * (32768-60999), so an outgoing connection never takes a link's port.
     */
    String ports();

    /** The address link ports listen on. */
    String bind();

    /**
     * Whether every connection starts with a PROXY protocol v2 header from a trusted balancer,
     * naming the client it accepted ({@code on}/{@code off}).
     */
    boolean proxyProtocol();
  }

  /** Tunnel liveness timers. */
  interface Tunnel {
    /** PING interval; below the 50-60 s idle timeouts of common reverse proxies. */
    Duration heartbeat();

    /** A tunnel with no frame received for this long is dead. */
    Duration deadAfter();

    /** How often presence (last seen) is mirrored to the database. */
    Duration presenceInterval();

    /**
     * Bytes the node holds for all channels together before channels stop granting credit: one
     * window per channel would not bound 20k tunnels.
     */
    long nodeBufferBudget();

    /** Delay agents are told to wait before reconnecting after a portal shutdown. */
    Duration shutdownRetryAfter();
  }

  /** Browser sessions and login throttling. */
  interface Auth {
    Duration sessionIdleTimeout();

    Duration sessionAbsoluteTimeout();

    Duration lockoutWindow();

    Duration lockoutDuration();

    /** bcrypt cost of new password hashes. */
    int passwordHashCost();

    /** Every group requires a second factor, whatever its own setting says. */
    boolean requireSecondFactor();

    /** Whether passwords sign in (break-glass admins always may). */
    boolean passwordLogin();
  }

  /** Console logging (docs/console-log.md). */
  interface ConsoleLog {
    /** How often the one purge job drops chunks past their group's size and age bounds. */
    Duration purgeEvery();
  }

  /** Session recording. */
  interface Recording {
    /** Recorded bytes reach the database at least this often (a crash loses at most this). */
    Duration flush();

    /** Recorded bytes per session; beyond this a gap marks where recording stopped. */
    long maxBytes();

    /** What a recorder that cannot keep up with the database does: gap (default) or end. */
    String onOverflow();

    /** How long recordings are kept unless the device group says otherwise. */
    Duration retention();
  }
}
