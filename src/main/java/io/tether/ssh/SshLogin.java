package io.tether.ssh;

import java.util.Optional;

/**
 * What an SSH user name asks for: {@code USER:DEVICE:TARGET}, or {@code USER:DEVICE} for the
 * device's first serial target. User, device and target names never hold a colon (their patterns
 * leave it out), so splitting on it is unambiguous.
 *
 * @param device null when the login names none (the session then says how to name one)
 * @param target null when the login names none
 */
record SshLogin(String user, String device, String target) {
  /** The parts longer than any name the portal accepts are refused before any lookup. */
  static final int MAX_PART = 64;

  static Optional<SshLogin> parse(String login) {
    if (login == null) {
      return Optional.empty();
    }
    String[] parts = login.split(":", -1);
    if (parts.length > 3) {
      return Optional.empty();
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > MAX_PART) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new SshLogin(
            parts[0], parts.length > 1 ? parts[1] : null, parts.length == 3 ? parts[2] : null));
  }

  @Override
  public String toString() {
    return user + (device == null ? "" : ":" + device) + (target == null ? "" : ":" + target);
  }
}
