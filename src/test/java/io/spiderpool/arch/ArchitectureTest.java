// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of STYLE.md §2, enforced: the core is pure Java, and the CNI plugin process can
 * neither reach Kubernetes nor load a framework (its start-up time is a product feature).
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.spiderpool");
  }

  @Test
  void coreImportsOnlyTheJdkAndItself() {
    ArchRule rule = classes().that().resideInAPackage("io.spiderpool.core..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.spiderpool.core..")
        .because("the core decides purely; frameworks and I/O live at the edge (STYLE rule 1, 3)");
    rule.check(production);
  }

  @Test
  void cniPluginUsesOnlyTheJdkTheCoreAndBuildInfo() {
    ArchRule rule = classes().that().resideInAPackage("io.spiderpool.cni..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.spiderpool.cni..", "io.spiderpool.core..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.spiderpool.BuildInfo")
        .because("a runtime's CNI call must cost a bare JVM start, not a framework boot");
    rule.check(production);
  }

  @Test
  void nothingButTheEdgesTalksToKubernetes() {
    ArchRule rule = noClasses().that().resideInAnyPackage("io.spiderpool.core..", "io.spiderpool.cni..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "io.quarkus..", "com.fasterxml..",
            "picocli..", "io.micrometer..", "jakarta..", "io.spiderpool.k8s..",
            "io.spiderpool.daemon..", "io.spiderpool.controller..");
    rule.check(production);
  }

  @Test
  void theEngineDependsOnlyOnTheCore() {
    ArchRule rule = classes().that().resideInAPackage("io.spiderpool.service..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.spiderpool.service..", "io.spiderpool.core..")
        .because("the allocation engine talks to the world only through its ports, so it runs on fakes in tests");
    rule.check(production);
  }

  @Test
  void noCyclesBetweenTopLevelPackages() {
    slices().matching("io.spiderpool.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void noCyclesBetweenThePackagesOfTheCore() {
    slices().matching("io.spiderpool.core.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void noCyclesBetweenAnyTwoPackages() {
    slices().matching("io.spiderpool.(**)").should().beFreeOfCycles().check(production);
  }

  @Test
  void oneLoggingApi() {
    ArchRule rule = noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("org.jboss.logging..", "org.slf4j..", "org.apache.logging..", "org.apache.commons.logging..",
            "io.quarkus.logging..")
        .because("the code logs through java.util.logging only (Quarkus routes it to its log manager)");
    rule.check(production);
  }
}
