package io.tether.relay;

import java.util.Optional;

/** What a relayed socket is for; each is one path on the internal listener. */
public enum RelayPurpose {
  /** A browser terminal joining a device target's session. */
  TERMINAL("terminal"),
  /**
   * An SSH shell joining a device target's session: the terminal's protocol, the participant shown
   * {@code via ssh}.
   */
  SSH("ssh"),
  /** A read-only data flow of a device target. */
  FLOW("flow"),
  /** The CLI's forward socket (tunnel-protocol frames, channels opened by the CLI). */
  FORWARD("forward"),
  /**
   * One stream to a TCP target for a front door of the user's node (SSH {@code direct-tcpip}): its
   * bytes as binary messages, a half-close as a text message, the channel's end as the close.
   */
  TCP("tcp"),
  /**
   * One channel to a device's web target for a device-web exchange of the user's node (its HTTP and
   * TLS client stay there): the {@code tcp} stream, under the device-web session the assertion
   * names, which the owner re-checks on the open and on every access change.
   */
  WEB("web"),
  /** A host program's connection to a link port, as a stream of binary messages. */
  LINK("link");

  private final String path;

  RelayPurpose(String path) {
    this.path = path;
  }

  /** The internal listener's path for this purpose. */
  public String path() {
    return RelayListener.PATH_PREFIX + path;
  }

  static Optional<RelayPurpose> ofPath(String path) {
    for (RelayPurpose p : values()) {
      if (p.path().equals(path)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
