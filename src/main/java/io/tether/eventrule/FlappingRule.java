package io.tether.eventrule;

import java.time.Duration;

/**
 * A device is flapping while it dropped more than {@code threshold} times within {@link #WINDOW};
 * becoming so raises one {@code device.flapping}, and only a device that settled (a drop finds no
 * more than the threshold within the window) can raise it again.
 */
public record FlappingRule(int threshold) {
  /** Drops are counted over the last hour. */
  public static final Duration WINDOW = Duration.ofHours(1);

  /** What one drop decides: whether to raise the event, and the device's flag after it. */
  public record Decision(boolean raise, boolean flapping) {}

  /** {@code dropsInWindow} counts this drop; {@code wasFlapping}: the flag before it. */
  public Decision afterDrop(int dropsInWindow, boolean wasFlapping) {
    boolean flapping = dropsInWindow > threshold;
    return new Decision(flapping && !wasFlapping, flapping);
  }
}
