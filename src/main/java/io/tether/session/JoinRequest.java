package io.tether.session;

import io.tether.access.Principal;

/**
 * Who wants to join which device target, as the access policy admitted it.
 *
 * @param principal the signed-in user (null for participants without one: link ports)
 * @param username the name shown to other participants
 * @param via how they take part: {@code browser}, {@code link} (a link port), {@code cli} (a
 *     tether-cli forward), {@code ssh} (the SSH front door), or {@code flow} (a data flow watcher,
 *     never a participant)
 * @param mayControl whether the policy allows operating the device (else observe only)
 * @param recording the device group's recording policy: off, output, all
 * @param mode what to do when someone else controls the session
 * @param mayReplay whether the policy allows replaying the group's recordings, which is also the
 *     right to see typed input in a data flow (it may hold passwords)
 * @param group the device group's name, to say which group's right is missing
 */
public record JoinRequest(
    long deviceId,
    String deviceName,
    String target,
    boolean serial,
    Principal principal,
    String username,
    String via,
    boolean mayControl,
    String recording,
    String address,
    Mode mode,
    boolean mayReplay,
    String group) {

  /**
   * A participant that never watches a data flow (link ports, tether-cli forwards): no replay right
   * asked for.
   */
  public JoinRequest(
      long deviceId,
      String deviceName,
      String target,
      boolean serial,
      Principal principal,
      String username,
      String via,
      boolean mayControl,
      String recording,
      String address,
      Mode mode) {
    this(
        deviceId,
        deviceName,
        target,
        serial,
        principal,
        username,
        via,
        mayControl,
        recording,
        address,
        mode,
        false,
        null);
  }

  /** How a participant joins a session that already has a controller. */
  public enum Mode {
    /** Join as an observer (browsers). */
    SHARE,
    /** Be refused: the connection is closed and the refusal audited (link ports, forwards). */
    EXCLUSIVE,
    /**
     * Take control; the controller becomes an observer (link ports set to take over, {@code
     * tether-cli --take-over}).
     */
    TAKE_OVER
  }

  /** The same user as a data flow watcher. */
  JoinRequest watching() {
    return new JoinRequest(
        deviceId,
        deviceName,
        target,
        serial,
        principal,
        username,
        "flow",
        mayControl,
        recording,
        address,
        mode,
        mayReplay,
        group);
  }

  boolean watchesFlow() {
    return "flow".equals(via);
  }

  Long userId() {
    return principal == null ? null : principal.userId();
  }

  String key() {
    return deviceId + "/" + target;
  }
}
