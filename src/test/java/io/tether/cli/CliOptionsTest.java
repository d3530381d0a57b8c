package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forward command line. */
class CliOptionsTest {
  private static final List<String> BASE =
      List.of("forward", "dev", "console", "--portal", "http://127.0.0.1:8080", "--token", "t");

  private static List<String> with(String... extra) {
    List<String> args = new java.util.ArrayList<>(BASE);
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void rfc2217IsAFlagWithoutAValue() throws Exception {
    CliOptions o = CliOptions.parse(with("--rfc2217", "--listen", "127.0.0.1:5000"), Map.of());
    assertTrue(o.rfc2217());
    assertEquals(5000, o.listen().getPort());
    assertEquals("console", o.target());
  }

  @Test
  void withoutTheFlagConnectionsArePlainTcp() throws Exception {
    assertFalse(CliOptions.parse(BASE, Map.of()).rfc2217());
  }

  @Test
  void takeOverIsAFlagWithoutAValueAndOffByDefault() throws Exception {
    CliOptions o = CliOptions.parse(with("--take-over", "--listen", "127.0.0.1:5000"), Map.of());
    assertTrue(o.takeOver());
    assertEquals(5000, o.listen().getPort());
    assertFalse(CliOptions.parse(BASE, Map.of()).takeOver());
  }

  @Test
  void helpNamesTheRfc2217Flag() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(0, CliMain.run(List.of("forward", "--help"), Map.of(), print, print));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--rfc2217") && help.contains("rfc2217://"), help);
  }
}
