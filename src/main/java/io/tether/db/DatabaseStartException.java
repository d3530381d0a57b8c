package io.tether.db;

/**
 * The database cannot be started or reached; the one-line message says what the operator can do.
 */
public final class DatabaseStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseStartException(String message) {
    super(message);
  }
}
