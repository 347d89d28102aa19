// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the generated, the chart's and Spiderpool's reference CRDs live, and how they are named.
 */
final class CrdFiles {

  /**
   * Overrides the location of Spiderpool's CRDs (default: {@code
   * ../shared/reference/spiderpool-crds}).
   */
  static final String REFERENCE_PROPERTY = "spiderpool.reference.crds";

  private CrdFiles() {}

  /** The project directory (failsafe and surefire set {@code basedir}). */
  static Path baseDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  /** Where QOSDK writes the CRDs during the Quarkus build (package phase). */
  static Path generatedDir() {
    return baseDir().resolve("target/kubernetes");
  }

  /** The chart's copies, kept equal to the generated ones by {@code hack/sync-crds.sh}. */
  static Path helmDir() {
    return baseDir().resolve("helm/spiderpool/crds");
  }

  /** Spiderpool's own CRDs; absent is a failure, never a skip. */
  static Path referenceDir() {
    Path dir =
        System.getProperty(REFERENCE_PROPERTY) != null
            ? Path.of(System.getProperty(REFERENCE_PROPERTY))
            : baseDir().resolve("../shared/reference/spiderpool-crds").normalize();
    if (!Files.isDirectory(dir)) {
      fail(
          "Spiderpool's reference CRDs are not at "
              + dir
              + ": put the shared/ folder beside the"
              + " repository (CI does) or pass -D"
              + REFERENCE_PROPERTY
              + "=<dir>");
    }
    return dir;
  }

  /** Plural names of the kinds we generate, e.g. {@code spiderippools}. */
  static List<String> plurals() {
    return SpiderpoolApi.KINDS.stream().map(HasMetadata::getPlural).toList();
  }

  /** QOSDK's file name, e.g. {@code spiderippools.spiderpool.spidernet.io-v1.yml}. */
  static String generatedName(String plural) {
    return plural + "." + SpiderpoolApi.GROUP + "-v1.yml";
  }

  /**
   * Spiderpool's (and our chart's) file name, e.g. {@code
   * spiderpool.spidernet.io_spiderippools.yaml}.
   */
  static String chartName(String plural) {
    return SpiderpoolApi.GROUP + "_" + plural + ".yaml";
  }

  /** A generated CRD; fails saying how to produce it when the build has not. */
  static Path generated(String plural) {
    Path file = generatedDir().resolve(generatedName(plural));
    if (!Files.isRegularFile(file)) {
      fail(
          "Generated CRD "
              + file
              + " is missing: the Quarkus build (package phase) did not"
              + " generate it. Run 'mvn verify', not 'mvn test' + failsafe alone; check that"
              + " quarkus.operator-sdk.crd.generate-all is still true.");
    }
    return file;
  }

  /** A YAML document as a JSON tree. */
  static JsonNode read(Path file) {
    try {
      return new KubernetesSerialization().unmarshal(Files.readString(file), JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
