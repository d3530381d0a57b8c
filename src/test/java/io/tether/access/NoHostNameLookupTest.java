package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.net.Cidr;
import io.tether.net.IpLiteral;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address parsing never asks the resolver. Proven in a child JVM whose resolver knows {@code
 * cafe.de} and {@code dead.beef} (jdk.net.hosts.file): a lookup would turn them into addresses, so
 * the test does not depend on this machine's DNS.
 */
class NoHostNameLookupTest {
  private static final List<String> NAMES = List.of("cafe.de", "dead.beef");

  @TempDir Path tmp;

  @Test
  void hexLookingHostNamesAreRefusedEvenWhereTheyResolve() throws Exception {
    Path hosts = tmp.resolve("hosts");
    Files.writeString(hosts, "192.0.2.7 cafe.de\n192.0.2.8 dead.beef\n127.0.0.1 localhost\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djdk.net.hosts.file=" + hosts);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Probe.class.getName());
    command.addAll(NAMES);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not end");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("resolver works: cafe.de=192.0.2.7"), "the probe's resolver: " + out);
    for (String name : NAMES) {
      assertTrue(out.contains("Cidr.parse(" + name + "): refused"), out);
      assertTrue(out.contains("Cidr.contains(" + name + "): false"), out);
      assertTrue(out.contains("IpLiteral.parse(" + name + "): refused"), out);
    }
  }

  /** Runs in the child JVM: prints what each entry point makes of each name. */
  public static final class Probe {
    public static void main(String[] args) throws IOException {
      System.out.println(
          "resolver works: cafe.de=" + java.net.InetAddress.getByName("cafe.de").getHostAddress());
      Cidr everything = Cidr.parse("0.0.0.0/0");
      for (String name : args) {
        System.out.println("Cidr.parse(" + name + "): " + outcome(() -> Cidr.parse(name)));
        System.out.println("Cidr.contains(" + name + "): " + everything.contains(name));
        System.out.println(
            "IpLiteral.parse(" + name + "): " + outcome(() -> IpLiteral.parse(name)));
      }
    }

    private static String outcome(java.util.function.Supplier<Object> parse) {
      try {
        return "accepted " + parse.get();
      } catch (IllegalArgumentException e) {
        return "refused: " + e.getMessage();
      }
    }
  }
}
