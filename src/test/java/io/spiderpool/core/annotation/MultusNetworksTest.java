// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.annotation.MultusNetworks.NetworkRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultusNetworksTest {
  static final MultusNetworks NETS =
      new MultusNetworks(
          "spiderpool",
          new NetworkRef("spiderpool", "default-net", ""),
          List.of(
              new NetworkRef("default", "a", ""),
              new NetworkRef("team", "b", "data0"),
              new NetworkRef("team", "c", null)));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "eth0,  spiderpool/default-net",
    "0,     spiderpool/default-net",
    "net1,  default/a",
    "1,     default/a",
    "data0, team/b",
    "2,     team/b",
    "net2,  ''",
    "net3,  team/c",
    "3,     team/c",
    "net4,  ''",
  })
  void findsTheNadOfANicAsSpiderpoolDoes(String nic, String expected) {
    assertThat(NETS.forNic(nic).map(NetworkRef::key))
        .isEqualTo(expected.isEmpty() ? Optional.empty() : Optional.of(expected));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"macvlan, spiderpool/macvlan", "kube-system/macvlan, kube-system/macvlan"})
  void bareMultusNamesMeanTheAgentNamespace(String multusName, String expected) {
    assertThat(NETS.qualify(multusName)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"eth0", "0", "net1"})
  void noneKnowsNoNetwork(String nic) {
    assertThat(MultusNetworks.none("spiderpool").forNic(nic)).isEmpty();
  }
}
