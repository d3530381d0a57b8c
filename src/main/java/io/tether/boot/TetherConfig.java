package io.tether.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Tether's runtime settings (application.properties maps each from a TETHER_* variable). */
@ConfigMapping(prefix = "tether")
public interface TetherConfig {
  /** Where the embedded database, node identity and secrets live. */
  Path dataDir();

  /** The URL users reach the portal at; decides cookie flags and the allowed Origin. */
  Optional<String> publicUrl();

  /** Password for the first admin; random (printed once) when unset. */
  Optional<String> adminPassword();

  /** Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs). */
  Optional<List<String>> trustedProxies();

  Tunnel tunnel();

  Auth auth();

  Recording recording();

  Links links();

  Ingress ingress();

  Limits limits();

  /** Per-user bounds on long-lived sockets. */
  interface Limits {
    /**
     * Live sockets of each kind (terminal, data flow, event stream, forward) one user may hold: a
     * few browser tabs and CLIs need far fewer, and each socket holds buffers, so a script opening
     * sockets in a loop cannot hold the node's memory.
     */
    @WithDefault("32")
    int socketsPerUser();
  }

  /** Raw TCP ingress: one port per raw device, dialled by its device server. */
  interface Ingress {
    /** The pool ingress ports come from, {@code FIRST-LAST}; below the ephemeral range. */
    @WithDefault("21000-21999")
    String ports();

    /** The address ingress ports listen on. */
    @WithDefault("0.0.0.0")
    String bind();

    /**
     * Connect-string guessing: an address that sends 5 wrong connect strings within this window is
     * refused unread until it ends; refusals are audited once per address and window. 5 minutes
     * caps guessing at 60 an hour per address, and a unit whose string was fixed waits at most
     * that.
     */
    @WithDefault("5m")
    Duration guessWindow();
  }

  /** Link ports: TCP ports on the portal tied to device targets. */
  interface Links {
    /**
     * The pool link ports come from, {@code FIRST-LAST}; kept below Linux's ephemeral range
     * (32768-60999), so an outgoing connection never takes a link's port.
     */
    @WithDefault("20000-20999")
    String ports();

    /** The address link ports listen on. */
    @WithDefault("0.0.0.0")
    String bind();
  }

  /** Tunnel liveness timers. */
  interface Tunnel {
    /** PING interval; below the 50-60 s idle timeouts of common reverse proxies. */
    @WithDefault("20s")
    Duration heartbeat();

    /** A tunnel with no frame received for this long is dead. */
    @WithDefault("60s")
    Duration deadAfter();

    /** How often presence (last seen) is mirrored to the database. */
    @WithDefault("60s")
    Duration presenceInterval();

    /**
     * Bytes the node holds for all channels together before channels stop granting credit: one
     * window per channel would not bound 20k tunnels.
     */
    @WithDefault("268435456")
    long nodeBufferBudget();

    /** Delay agents are told to wait before reconnecting after a portal shutdown. */
    @WithDefault("5s")
    Duration shutdownRetryAfter();
  }

  /** Browser sessions and login throttling. */
  interface Auth {
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    @WithDefault("12h")
    Duration sessionAbsoluteTimeout();

    @WithDefault("15m")
    Duration lockoutWindow();

    @WithDefault("15m")
    Duration lockoutDuration();
  }

  /** Session recording. */
  interface Recording {
    /** Recorded bytes reach the database at least this often (a crash loses at most this). */
    @WithDefault("1s")
    Duration flush();

    /** Recorded bytes per session; beyond this a gap marks where recording stopped. */
    @WithDefault("67108864")
    long maxBytes();

    /** What a recorder that cannot keep up with the database does: gap (default) or end. */
    @WithDefault("gap")
    String onOverflow();

    /** How long recordings are kept unless the device group says otherwise. */
    @WithDefault("90d")
    Duration retention();
  }
}
