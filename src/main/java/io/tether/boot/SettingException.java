package io.tether.boot;

/** A setting that stops the start: the message names the variable and the reason in one line. */
public final class SettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  public SettingException(String variable, String reason) {
    super(variable + ": " + reason);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
