package io.tether.access;

/** Who is acting: a user, through a browser session or an API token. */
public record Principal(
    long userId, String username, boolean admin, Via via, Long credentialId, String csrfToken) {

  /** How the principal authenticated. */
  public enum Via {
    WEB_SESSION,
    API_TOKEN
  }
}
