package io.tether;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering: no package cycles anywhere, and the thin jars (agent, CLI) and the pure packages
 * they share (protocol, wsclient) list what they may depend on, so that anything new they reach for
 * fails here instead of growing the jar.
 */
class ArchitectureTest {
  /** The JDK parts a pure package or thin jar may use (no desktop, no RMI, no SQL). */
  private static final String[] JDK = {
    "java.lang..", "java.io..", "java.nio..", "java.net..", "java.time..", "java.util.."
  };

  /** Every top-level package under io.tether: a rename or a new package must be placed here. */
  private static final Set<String> PACKAGES =
      Set.of(
          "access",
          "agent",
          "alert",
          "api",
          "audit",
          "boot",
          "cli",
          "ssh",
          "cluster",
          "consolelog",
          "db",
          "device",
          "enroll",
          "eventrule",
          "forward",
          "ingress",
          "link",
          "mfa",
          "net",
          "oidc",
          "ops",
          "protocol",
          "relay",
          "recording",
          "session",
          "tunnel",
          "upgrade",
          "user",
          "web",
          "deviceweb",
          "webhook",
          "wsclient");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tether");
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.tether.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** The server commands are an entry point: the portal itself never calls them. */
  @Test
  void nothingDependsOnTheServerCommands() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideOutsideOfPackage("io.tether.ops..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.tether.ops..")
        .check(classes);
  }

  /**
   * Every periodic chore skips from the moment the portal starts to stop ({@code boot.Stopping}):
   * one that fired then ran into a closed persistence unit ("EntityManagerFactory is closed",
   * GracefulStopIT; two chores added later missed it).
   */
  @Test
  void everyScheduledChoreSkipsWhileThePortalStops() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
        .that()
        .areAnnotatedWith(io.quarkus.scheduler.Scheduled.class)
        .should(
            new com.tngtech.archunit.lang.ArchCondition<
                com.tngtech.archunit.core.domain.JavaMethod>(
                "skip execution if io.tether.boot.Stopping") {
              @Override
              public void check(
                  com.tngtech.archunit.core.domain.JavaMethod method,
                  com.tngtech.archunit.lang.ConditionEvents events) {
                io.quarkus.scheduler.Scheduled scheduled =
                    method.getAnnotationOfType(io.quarkus.scheduler.Scheduled.class);
                if (scheduled.skipExecutionIf() != io.tether.boot.Stopping.class) {
                  events.add(
                      com.tngtech.archunit.lang.SimpleConditionEvent.violated(
                          method,
                          method.getFullName()
                              + " runs while the portal stops: add skipExecutionIf ="
                              + " Stopping.class"));
                }
              }
            })
        .check(classes);
  }

  /** The lists below name packages: a package they do not know would make them pass vacuously. */
  @Test
  void theRulesKnowEveryPackage() {
    Set<String> found = new TreeSet<>();
    for (JavaClass c : classes) {
      String rest = c.getPackageName().substring("io.tether".length());
      if (rest.startsWith(".")) {
        found.add(rest.substring(1).split("\\.")[0]);
      }
    }
    assertEquals(new TreeSet<>(PACKAGES), found, "the top-level packages under io.tether");
  }

  @Test
  void protocolIsPureJava() {
    onlyDependsOn("io.tether.protocol..", "io.tether.protocol..");
  }

  @Test
  void websocketClientUsesProtocolAndTheJdkOnly() {
    onlyDependsOn(
        "io.tether.wsclient..",
        "io.tether.wsclient..",
        "io.tether.protocol..",
        "java.security..",
        "javax.net..");
  }

  @Test
  void agentUsesProtocolWebsocketClientAndSerialPortsOnly() {
    onlyDependsOn(
        "io.tether.agent..",
        "io.tether.agent..",
        "io.tether.protocol..",
        "io.tether.wsclient..",
        "java.security..",
        "com.fazecast.jSerialComm..");
  }

  /** java.security: the browser sign-in's PKCE (SHA-256, SecureRandom), as the agent's TLS. */
  @Test
  void cliUsesProtocolAndWebsocketClientOnly() {
    onlyDependsOn(
        "io.tether.cli..",
        "io.tether.cli..",
        "io.tether.protocol..",
        "io.tether.wsclient..",
        "java.security..");
  }

  /** Classes in {@code pkg} depend on the JDK basics and {@code allowed} only. */
  private static void onlyDependsOn(String pkg, String... allowed) {
    String[] all = new String[JDK.length + allowed.length];
    System.arraycopy(JDK, 0, all, 0, JDK.length);
    System.arraycopy(allowed, 0, all, JDK.length, allowed.length);
    classes()
        .that()
        .resideInAPackage(pkg)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(all)
        .check(classes);
  }
}
