package io.tether.api;

/**
 * One CSV cell as the portal writes it (the audit export, the tokens of a device import): always
 * quoted per RFC 4180, and never a formula a spreadsheet would run.
 */
public final class CsvCell {
  private CsvCell() {}

  /** {@code value} quoted, with a leading ' if it {@link #runsAsFormula}; null is empty. */
  public static String of(String value) {
    if (value == null) {
      return "";
    }
    String safe = runsAsFormula(value) ? "'" + value : value;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  /**
   * Whether a spreadsheet could run the cell (OWASP's CSV injection list): it starts with a tab or
   * CR, or its first non-whitespace character is = + - or @. Such cells get a leading '.
   */
  public static boolean runsAsFormula(String value) {
    if (value.startsWith("\t") || value.startsWith("\r")) {
      return true;
    }
    String rest = value.stripLeading();
    return !rest.isEmpty() && "=+-@".indexOf(rest.charAt(0)) >= 0;
  }
}
