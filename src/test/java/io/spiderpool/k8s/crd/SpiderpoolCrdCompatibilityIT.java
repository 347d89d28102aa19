// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our generated CRDs against Spiderpool's own (v1.2.1), field by field (see {@link CrdComparison}
 * for what counts). Any difference fails; deliberate ones belong in docs/crds.md and would be
 * listed here with their reason.
 */
class SpiderpoolCrdCompatibilityIT {

  static List<String> plurals() {
    return CrdFiles.plurals();
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void generatedCrdMatchesSpiderpools(String plural) {
    var spiderpool = CrdFiles.read(CrdFiles.referenceDir().resolve(CrdFiles.chartName(plural)));
    var ours = CrdFiles.read(CrdFiles.generated(plural));

    assertThat(CrdComparison.differences(spiderpool, ours))
        .as("differences of %s from Spiderpool's CRD", CrdFiles.generatedName(plural))
        .isEmpty();
  }
}
