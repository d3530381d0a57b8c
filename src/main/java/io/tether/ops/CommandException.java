package io.tether.ops;

/** A command that cannot do what it was asked: one line for the operator, and an exit status. */
final class CommandException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Refused: the state of the portal or its database does not allow the command. */
  static final int REFUSED = 3;

  /** Failed while working (I/O, database errors). */
  static final int FAILED = 1;

  private final int status;

  CommandException(int status, String message) {
    super(message);
    this.status = status;
  }

  CommandException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  static CommandException usage(String message) {
    return new CommandException(PortalMain.USAGE, message);
  }

  int status() {
    return status;
  }
}
