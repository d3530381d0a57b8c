package io.tether.device;

import io.tether.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The orders of the device list ({@code ?sort=name|status|lastSeen}), each a keyset that a cursor
 * continues, so every page of a large fleet comes in the order asked for (not only the devices
 * loaded so far). Names compare case-insensitively in the database's collation; ties go by id.
 * Status: online, then offline (seen before), then never seen. Last seen: online first, then the
 * most recently seen, never seen last; within online and never seen, by name.
 */
enum DeviceOrder {
  NAME("name"),
  STATUS("status"),
  LAST_SEEN("lastSeen");

  /** 0 online, 1 offline but seen before, 2 never seen. */
  private static final String RANK =
      "(case when online = true then 0 when lastSeen is not null then 1 else 2 end)";

  private static final String NAME_KEY = "lower(name)";

  final String param;

  DeviceOrder(String param) {
    this.param = param;
  }

  /** The order a {@code sort} parameter names; null when none was given (by id, as before). */
  static DeviceOrder parse(String sort) {
    if (sort == null || sort.isBlank()) {
      return null;
    }
    for (DeviceOrder order : values()) {
      if (order.param.equals(sort)) {
        return order;
      }
    }
    throw ApiException.badRequest("sort", "sort must be name, status or lastSeen");
  }

  String orderBy() {
    return switch (this) {
      case NAME -> " order by " + NAME_KEY + ", id";
      case STATUS -> " order by " + RANK + ", " + NAME_KEY + ", id";
      case LAST_SEEN ->
          " order by "
              + RANK
              + ", (case when online = false then lastSeen end) desc, "
              + NAME_KEY
              + ", id";
    };
  }

  /** Adds "after this cursor's device" to the query; nothing for the first page. */
  void after(String cursor, StringBuilder q, Map<String, Object> params) {
    if (cursor == null || cursor.isBlank()) {
      return;
    }
    Position at = decode(cursor);
    String byName =
        "("
            + NAME_KEY
            + " > lower(:afterName) or ("
            + NAME_KEY
            + " = lower(:afterName)"
            + " and id > :afterId))";
    params.put("afterName", at.name());
    params.put("afterId", at.id());
    if (this == NAME) {
      q.append(" and ").append(byName);
      return;
    }
    String within = byName;
    if (this == LAST_SEEN && at.rank() == 1) {
      within = "(lastSeen < :afterSeen or (lastSeen = :afterSeen and " + byName + "))";
      params.put("afterSeen", at.seen());
    }
    q.append(" and (")
        .append(RANK)
        .append(" > :afterRank or (")
        .append(RANK)
        .append(" = :afterRank and ")
        .append(within)
        .append("))");
    params.put("afterRank", at.rank());
  }

  /** The cursor of the page after {@code last}: this order and the device's place in it. */
  String cursorAfter(Device last) {
    int rank = last.online ? 0 : last.lastSeen != null ? 1 : 2;
    String seen = rank == 1 ? last.lastSeen.toString() : "";
    String text =
        String.join("|", param, Integer.toString(rank), seen, last.id.toString(), last.name);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiException badCursor() {
    return ApiException.badRequest("cursor", "cursor is not one this API gave out");
  }

  private record Position(int rank, Instant seen, long id, String name) {}

  private Position decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = text.split("\\|", 5);
      if (parts.length != 5 || !parts[0].equals(param) || parts[4].isEmpty()) {
        throw badCursor();
      }
      int rank = Integer.parseInt(parts[1]);
      if (rank < 0 || rank > 2 || (rank == 1) == parts[2].isEmpty()) {
        throw badCursor();
      }
      Instant seen = rank == 1 ? Instant.parse(parts[2]) : null;
      return new Position(rank, seen, Long.parseLong(parts[3]), parts[4]);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw badCursor();
    }
  }
}
