package io.tether.alert;

/** A mail the SMTP server did not take, with the server's or the network's reason in one line. */
public class MailFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MailFailure(String message) {
    super(message);
  }
}
