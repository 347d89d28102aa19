// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, enforced: the core is pure Java, and the CNI plugin process
 * can neither reach Kubernetes nor load a framework (its start-up time is a product feature); the
 * plugin and the daemon meet only in the contract of their exchange ({@code io.spiderpool.wire}).
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.spiderpool");
  }

  @Test
  void coreImportsOnlyTheJdkAndItself() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage("io.spiderpool.core..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.spiderpool.core..")
            .because(
                "the core decides purely; frameworks and I/O live at the edge (docs/architecture.md)");
    rule.check(production);
  }

  @Test
  void cniPluginUsesOnlyTheJdkTheCoreAndTheWireContract() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage("io.spiderpool.cni..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                "java..", "io.spiderpool.cni..", "io.spiderpool.wire..", "io.spiderpool.core..")
            .because("a runtime's CNI call must cost a bare JVM start, not a framework boot");
    rule.check(production);
  }

  @Test
  void theWireContractImportsNeitherSideOfIt() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage("io.spiderpool.wire..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.spiderpool.wire..", "io.spiderpool.core..")
            .because(
                "the plugin and the daemon both depend on the contract of their exchange, and the plugin"
                    + " process loads it");
    rule.check(production);
  }

  @Test
  void onlyTheEntryPointReachesThePluginProcess() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackages("io.spiderpool.cni..", "io.spiderpool.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.spiderpool.cni..")
            .because(
                "the daemon shares the wire contract with the plugin (io.spiderpool.wire), not its code");
    rule.check(production);
  }

  /**
   * The plugin process's start-up is a product feature: the first lambda or {@code +} on strings
   * bootstraps {@code java.lang.invoke} (~15 ms), regex loads its engine. So neither the plugin nor
   * the contract it loads may reference them; records may keep their generated methods, which no
   * call on the plugin's path invokes. The daemon's handler, which may use both, shows the scan
   * sees them.
   */
  @Test
  void thePluginProcessLoadsNoInvokeOrRegexMachinery() throws IOException {
    List<String> banned =
        List.of(
            "java/lang/invoke/StringConcatFactory",
            "java/lang/invoke/LambdaMetafactory",
            "java/util/regex/");
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (JavaClass c : production) {
      if (c.getPackageName().matches("io\\.spiderpool\\.(cni|wire)(\\..*)?")) {
        scanned++;
        for (String b : banned) {
          if (constantPool(c).contains(b)) {
            found.add(c.getName() + " references " + b);
          }
        }
      }
    }
    assertThat(scanned).as("classes of the plugin process scanned").isGreaterThan(10);
    assertThat(found).isEmpty();
    assertThat(constantPool(production.get("io.spiderpool.daemon.cni.CniRequestHandler")))
        .contains(banned.get(0))
        .contains(banned.get(1));
  }

  /** The class file as Latin-1 text: its constant pool names every class and bootstrap it uses. */
  private static String constantPool(JavaClass c) throws IOException {
    try (InputStream in = c.getSource().orElseThrow().getUri().toURL().openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void nothingButTheEdgesTalksToKubernetes() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(
                "io.spiderpool.core..", "io.spiderpool.cni..", "io.spiderpool.wire..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.fabric8..",
                "io.javaoperatorsdk..",
                "io.quarkus..",
                "com.fasterxml..",
                "picocli..",
                "io.micrometer..",
                "jakarta..",
                "io.spiderpool.k8s..",
                "io.spiderpool.daemon..",
                "io.spiderpool.controller..");
    rule.check(production);
  }

  @Test
  void theEngineDependsOnlyOnTheCore() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage("io.spiderpool.service..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.spiderpool.service..", "io.spiderpool.core..")
            .because(
                "the allocation engine talks to the world only through its ports, so it runs on fakes in tests");
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
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.jboss.logging..",
                "org.slf4j..",
                "org.apache.logging..",
                "org.apache.commons.logging..",
                "io.quarkus.logging..")
            .because(
                "the code logs through java.util.logging only (Quarkus routes it to its log manager)");
    rule.check(production);
  }
}
