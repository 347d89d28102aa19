// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultusAnnotationsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "macvlan-a@net1, other/macvlan-b             | app/macvlan-a | net1 | other/macvlan-b | net2",
        "\"[{\"\"name\"\":\"\"macvlan-a\"\",\"\"interface\"\":\"\"net1\"\"},{\"\"name\"\":\"\"macvlan-b\"\",\"\"namespace\"\":\"\"other\"\"}]\" | app/macvlan-a | net1 | other/macvlan-b | net2",
      })
  void secondaryNetworksInBothSyntaxes(
      String networks, String firstKey, String firstNic, String secondKey, String secondNic) {
    MultusNetworks m =
        MultusAnnotations.parse(
            Map.of(MultusAnnotations.NETWORKS, networks), "app", "spiderpool", null);
    assertThat(m.forNic(firstNic).orElseThrow().key()).isEqualTo(firstKey);
    assertThat(m.forNic(secondNic).orElseThrow().key()).isEqualTo(secondKey);
  }

  @Test
  void firstNicUsesTheDefaultNetworkElseTheClusterNetwork() {
    assertThat(
            MultusAnnotations.parse(
                    Map.of(MultusAnnotations.DEFAULT_NETWORK, "macvlan-0"),
                    "app",
                    "spiderpool",
                    "kube-system/calico")
                .forNic("eth0")
                .orElseThrow()
                .key())
        .isEqualTo("spiderpool/macvlan-0");
    assertThat(
            MultusAnnotations.parse(Map.of(), "app", "spiderpool", "kube-system/calico")
                .forNic("eth0")
                .orElseThrow()
                .key())
        .isEqualTo("kube-system/calico");
    assertThat(MultusAnnotations.parse(Map.of(), "app", "spiderpool", null).forNic("eth0"))
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a/b/c | is not a network reference",
        "/x    | is not a network reference",
        "[{}]  | \"name\" must be specified",
        "[1]   | k8s.v1.cni.cncf.io/networks[0]",
      })
  void malformedNetworksAreNamed(String networks, String message) {
    assertThatThrownBy(
            () ->
                MultusAnnotations.parse(
                    Map.of(MultusAnnotations.NETWORKS, networks), "app", "sp", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }
}
