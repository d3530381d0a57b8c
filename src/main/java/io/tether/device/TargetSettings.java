package io.tether.device;

/**
 * What an admin chose for one target of a device (stored by target name); a null field takes the
 * group's default.
 *
 * @param log {@code always}: the target is kept open and its output logged (docs/console-log.md);
 *     {@code off}: never logged
 */
public record TargetSettings(String log) {
  public static final String LOG_ALWAYS = "always";
  public static final String LOG_OFF = "off";

  /**
   * Whether a target is logged: its own setting, else the group's default for serial targets (a TCP
   * target is logged only when an admin asked for it by name).
   */
  public static boolean logged(TargetSettings own, String kind, String groupDefault) {
    if (own != null && own.log() != null) {
      return LOG_ALWAYS.equals(own.log());
    }
    return "serial".equals(kind) && LOG_ALWAYS.equals(groupDefault);
  }
}
