package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void thePortalsAnswersParseToMapsListsAndValues() {
    Object v =
        Json.parse(
            "{\"items\":[{\"name\":\"plc-7\",\"online\":true,\"id\":12,\"ratio\":0.5,\"agentVersion\":null,"
                + "\"tags\":[\"a\",\"b\\\"c\"],\"note\":\"caf\\u00e9\\n\"}],\"next\":null}");
    Map<?, ?> page = (Map<?, ?>) v;
    Map<?, ?> device = (Map<?, ?>) ((List<?>) page.get("items")).get(0);
    assertEquals("plc-7", device.get("name"));
    assertEquals(true, device.get("online"));
    assertEquals(12L, device.get("id"));
    assertEquals(0.5, device.get("ratio"));
    assertEquals(null, device.get("agentVersion"));
    assertEquals(List.of("a", "b\"c"), device.get("tags"));
    assertEquals("caf\u00e9\n", device.get("note"));
  }

  @Test
  void writtenJsonParsesBackToTheSameValues() {
    Object v = Json.parse("{\"a\":[1,2.5,\"x\\ty\",{\"b\":false}],\"c\":null}");
    assertEquals(v, Json.parse(Json.write(v)));
    assertEquals("{\"a\":[1,2.5,\"x\\u0009y\",{\"b\":false}],\"c\":null}", Json.write(v));
  }

  @Test
  void whatIsNotJsonIsRefusedNamingWhere() {
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,2"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
  }

  @Test
  void nestingIsBoundedSoAHostileAnswerCannotOverflowTheStack() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
  }
}
