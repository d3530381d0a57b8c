package io.tether.consolelog;

/** The words of the log's markers, shared by the store and its readers. */
final class Markers {
  private Markers() {}

  /** Where a logger opened its target. */
  static final String STARTED = "logging started";

  /**
   * Where a logger opened its target that was logged before: the log has a gap since {@code last}.
   */
  static String resumed(java.time.Instant last) {
    return "logging resumed: nothing was logged since " + last;
  }

  static String dropped(long bytes) {
    return bytes + " bytes not logged: the log store could not keep up";
  }
}
