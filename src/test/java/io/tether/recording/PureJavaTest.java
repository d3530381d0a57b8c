package io.tether.recording;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Recordings and the late-joiner ring are plain Java: testable and reusable without Quarkus. */
class PureJavaTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tether.recording", "io.tether.session");

  @Test
  void recordingDependsOnlyOnJava() {
    classes()
        .that()
        .resideInAPackage("io.tether.recording..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.tether.recording..")
        .check(CLASSES);
  }

  @Test
  void outputRingDependsOnlyOnJava() {
    classes()
        .that()
        .haveFullyQualifiedName("io.tether.session.OutputRing")
        .or()
        .haveFullyQualifiedName("io.tether.session.VtBoundary")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.tether.session..")
        .check(CLASSES);
  }
}
