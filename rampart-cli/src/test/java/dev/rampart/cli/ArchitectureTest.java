package dev.rampart.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of docs/architecture.md, checked on the compiled classes: dependencies point
 * toward rampart-core, packages are free of cycles, and the CLI holds the only main method. Maven
 * already refuses a module that depends "backwards"; this test catches the same mistake inside a
 * module and keeps the rule written down where it is enforced.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.rampart");
  }

  @Test
  void coreDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.rampart.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rampart.cli..", "dev.rampart.simulate..", "dev.rampart.bench..")
        .check(classes);
  }

  @Test
  void coreUsesOnlyTheJdkJacksonStreamingAndZstd() {
    noClasses()
        .that()
        .resideInAPackage("dev.rampart.core..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "dev.rampart.core..",
            "java..",
            "javax..",
            "com.fasterxml.jackson.core..",
            "com.github.luben.zstd..")
        .check(classes);
  }

  @Test
  void simulateDependsOnlyOnCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.rampart.simulate..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rampart.cli..", "dev.rampart.bench..")
        .check(classes);
  }

  @Test
  void benchDoesNotDependOnTheCli() {
    noClasses()
        .that()
        .resideInAPackage("dev.rampart.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rampart.cli..")
        .check(classes);
  }

  @Test
  void onlyTheServerAssemblesThePlatform() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.rampart.ingest..",
            "dev.rampart.store..",
            "dev.rampart.alerting..",
            "dev.rampart.cases..",
            "dev.rampart.auth..",
            "dev.rampart.playbooks..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rampart.server..", "dev.rampart.cli..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("dev.rampart.cases..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.rampart.playbooks..")
        .check(classes);
  }

  @Test
  void featurePackagesHaveNoCycles() {
    slices().matching("dev.rampart.(*).(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * One program: the CLI. The Flink detection job is the one other entry point, because it is a
   * separate artifact a Flink cluster runs (`flink run -c dev.rampart.flink.DetectionJob`); the CLI
   * carries its classes only for `rampart bench scaleout`.
   */
  @Test
  void onlyTheCliHasAMainMethod() {
    methods()
        .that()
        .haveName("main")
        .and()
        .areStatic()
        .and()
        .areNotDeclaredIn(dev.rampart.flink.DetectionJob.class)
        .should()
        .beDeclaredIn(Main.class)
        .check(classes);
  }
}
