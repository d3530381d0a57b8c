package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent and the CLI read the portal's flat answers without a JSON library. */
class JsonFieldsTest {
  @Test
  void readsAStringFieldWithEscapes() {
    String body = "{\"status\":401,\"detail\":\"a \\\"quoted\\\" name \\u00e9\\\\\",\"x\":1}";
    assertEquals(Optional.of("a \"quoted\" name é\\"), JsonFields.string(body, "detail"));
  }

  @Test
  void anAbsentFieldIsEmpty() {
    assertEquals(Optional.empty(), JsonFields.string("{\"a\":\"b\"}", "detail"));
    assertEquals(Optional.empty(), JsonFields.string(null, "detail"));
  }

  @Test
  void aBrokenUnicodeEscapeIsKeptAsText() {
    assertEquals(Optional.of("\\uZZ"), JsonFields.string("{\"d\":\"\\uZZ\"}", "d"));
  }

  @Test
  void quotesWhatItWrites() {
    assertEquals("\"a\\\"b\\\\c\\u000a\"", JsonFields.quote("a\"b\\c\n"));
  }

  @Test
  void readsAWholeNumberButNotAFractionOrAString() {
    assertEquals(Optional.of(42L), JsonFields.number("{\"deviceId\": 42, \"x\":1}", "deviceId"));
    assertEquals(Optional.empty(), JsonFields.number("{\"deviceId\":4.5}", "deviceId"));
    assertEquals(Optional.empty(), JsonFields.number("{\"deviceId\":\"42\"}", "deviceId"));
  }
}
