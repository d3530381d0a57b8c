package io.tether.eventrule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code node.devices-missing} events of one due batch: one per device group (so an endpoint
 * limited to some groups never learns the names of another group's devices), listing at most {@link
 * #LISTED_MAX} devices with the full count.
 */
public final class MissingReport {
  /** Devices named in one event; {@code count} says how many there were in all. */
  public static final int LISTED_MAX = 1000;

  /** A device of the batch still away when the batch was due. */
  public record Missing(long groupId, long deviceId, String name, Instant droppedAt) {}

  private MissingReport() {}

  /** Each group's event data, by group id. */
  public static Map<Long, Map<String, Object>> byGroup(
      String node, String cause, long graceSeconds, List<Missing> missing) {
    Map<Long, List<Missing>> groups = new TreeMap<>();
    for (Missing m : missing) {
      groups.computeIfAbsent(m.groupId(), g -> new ArrayList<>()).add(m);
    }
    Map<Long, Map<String, Object>> events = new LinkedHashMap<>();
    groups.forEach(
        (group, list) -> {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("node", node);
          data.put("cause", cause);
          data.put(
              "since",
              list.stream()
                  .map(Missing::droppedAt)
                  .min(Instant::compareTo)
                  .orElseThrow()
                  .toString());
          data.put("graceSeconds", graceSeconds);
          data.put("count", list.size());
          List<Map<String, Object>> devices = new ArrayList<>();
          for (Missing m : list.subList(0, Math.min(list.size(), LISTED_MAX))) {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("id", m.deviceId());
            device.put("name", m.name());
            devices.add(device);
          }
          data.put("devices", devices);
          events.put(group, data);
        });
    return events;
  }
}
