package io.tether;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The thin jars stay thin: protocol, agent and cli never reach into Quarkus or the portal. */
class ArchitectureTest {
  private static final String[] FRAMEWORKS = {
    "io.quarkus..", "jakarta..", "io.vertx..", "io.smallrye..", "org.hibernate..", "io.netty.."
  };
  private static final String[] PORTAL = {
    "io.tether.boot..",
    "io.tether.db..",
    "io.tether.access..",
    "io.tether.user..",
    "io.tether.device..",
    "io.tether.session..",
    "io.tether.audit..",
    "io.tether.api..",
    "io.tether.tunnel.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tether");
  }

  @Test
  void protocolIsPureJava() {
    noClasses()
        .that()
        .resideInAPackage("io.tether.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(PORTAL)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("io.tether.agent..", "io.tether.cli..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void websocketClientIsPureJava() {
    noClasses()
        .that()
        .resideInAPackage("io.tether.wsclient..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(PORTAL)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("io.tether.agent..", "io.tether.cli..")
        .check(classes);
  }

  @Test
  void agentUsesOnlyProtocolAndItsOwnPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.tether.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(PORTAL)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.tether.cli..")
        .check(classes);
  }

  @Test
  void cliUsesOnlyProtocolAndItsOwnPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.tether.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(PORTAL)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.tether.agent..")
        .check(classes);
  }
}
