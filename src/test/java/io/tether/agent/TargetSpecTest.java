package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetSpecTest {
  @Test
  void parsesSerialTargetWithOptions() {
    TargetSpec spec = TargetSpec.parse("console=serial:/dev/ttyUSB0?baud=115200");
    assertEquals(TargetSpec.Kind.SERIAL, spec.kind());
    assertEquals("/dev/ttyUSB0", spec.path());
    assertEquals(Map.of("baud", "115200"), spec.options());
  }

  @Test
  void parsesTcpTarget() {
    TargetSpec spec = TargetSpec.parse("ds=tcp:192.168.1.50:1001");
    assertEquals("192.168.1.50", spec.host());
    assertEquals(1001, spec.port());
  }

  @Test
  void parsesIpv6TcpTarget() {
    assertEquals("fe80::1", TargetSpec.parse("x=tcp:[fe80::1]:23").host());
  }

  @Test
  void rejectsInvalidTargetName() {
    assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse("bad name=tcp:h:1"));
  }

  @Test
  void rejectsUnknownScheme() {
    assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse("x=udp:h:1"));
  }

  @Test
  void rejectsPortOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse("x=tcp:h:70000"));
  }

  @Test
  void serialOptionsMapToSettings() {
    SerialSettings s =
        SerialSettings.fromOptions(Map.of("baud", "9600", "parity", "even", "stopbits", "2"));
    assertEquals(9600, s.baud());
    assertEquals(SerialSettings.Parity.EVEN, s.parity());
    assertEquals(SerialSettings.StopBits.TWO, s.stopBits());
  }

  @Test
  void rejectsUnknownSerialOption() {
    assertThrows(
        IllegalArgumentException.class, () -> SerialSettings.fromOptions(Map.of("speed", "1")));
  }
}
