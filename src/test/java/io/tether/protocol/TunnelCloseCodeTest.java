package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The close code table agents act on. */
class TunnelCloseCodeTest {
  @Test
  void codesAndLabelsAreFixed() {
    String table =
        """
        1000 normal
        1001 going-away
        4000 protocol-error
        4001 unsupported-version
        4002 revoked
        4003 replaced
        4004 duplicate-agent
        4005 shutting-down
        4006 heartbeat-timeout
        4007 frame-too-large
        4008 limit-exceeded
        4009 handshake-timeout
        4010 credit-exceeded
        4401 credential-expired
        """;
    StringBuilder actual = new StringBuilder();
    for (TunnelCloseCode c : TunnelCloseCode.values()) {
      actual.append(c.code()).append(' ').append(c.label()).append('\n');
    }
    assertEquals(table, actual.toString());
  }

  @Test
  void looksUpEveryCode() {
    for (TunnelCloseCode c : TunnelCloseCode.values()) {
      assertEquals(Optional.of(c), TunnelCloseCode.of(c.code()));
    }
  }

  @Test
  void unknownCodesAreEmpty() {
    for (int code : new int[] {0, 1002, 1006, 3999, 4011, 65_535}) {
      assertEquals(Optional.empty(), TunnelCloseCode.of(code), "code " + code);
    }
  }

  @Test
  void everyCodeCarriesAdviceAndIsUnique() {
    Set<Integer> seen = new HashSet<>();
    for (TunnelCloseCode c : TunnelCloseCode.values()) {
      assertTrue(seen.add(c.code()), c + " reuses " + c.code());
      assertTrue(!c.advice().isBlank(), c + " has no advice");
    }
  }
}
