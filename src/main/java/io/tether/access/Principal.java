package io.tether.access;

/** Who is acting: a user, through a browser session, an API token or an SSH key. */
public record Principal(
    long userId, String username, boolean admin, Via via, Long credentialId, String csrfToken) {

  /** How the principal authenticated. */
  public enum Via {
    WEB_SESSION,
    API_TOKEN,
    /** A registered SSH public key ({@code credentialId} is the key's id): the SSH front door. */
    SSH_KEY
  }
}
