// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultPoolSpecTest {

  @Test
  void bothFamiliesFromSpiderpoolsInitEnvironment() {
    List<DefaultPoolSpec> pools =
        DefaultPoolSpec.fromEnv(
            Map.of(
                "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME", "default-v4-ippool",
                "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET", "10.6.0.0/16",
                "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_IPRANGES",
                    "[\"10.6.0.10-10.6.0.99\",\"10.6.1.1\"]",
                "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_GATEWAY", "10.6.0.1",
                "SPIDERPOOL_INIT_DEFAULT_IPV4_SUBNET_NAME", "default-v4-subnet",
                "SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_NAME", "default-v6-ippool",
                "SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_SUBNET", "fd00:6::/64",
                "SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_IPRANGES",
                    "fd00:6::10-fd00:6::99, fd00:6::200"));
    assertThat(pools)
        .containsExactly(
            new DefaultPoolSpec(
                4,
                "default-v4-ippool",
                "default-v4-subnet",
                "10.6.0.0/16",
                List.of("10.6.0.10-10.6.0.99", "10.6.1.1"),
                "10.6.0.1"),
            new DefaultPoolSpec(
                6,
                "default-v6-ippool",
                null,
                "fd00:6::/64",
                List.of("fd00:6::10-fd00:6::99", "fd00:6::200"),
                null));
  }

  @Test
  void nothingAskedForIsNoPool() {
    assertThat(DefaultPoolSpec.fromEnv(Map.of("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME", " ")))
        .isEmpty();
    assertThat(DefaultPoolSpec.fromEnv(Map.of())).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnceWithTheFix() {
    assertThatThrownBy(
            () ->
                DefaultPoolSpec.fromEnv(
                    Map.of(
                        "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME", "v4",
                        "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET", "10.6.0.1/16",
                        "SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_NAME", "v6")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET: 10.6.0.1/16 is not canonical: write 10.6.0.0/16")
        .hasMessageContaining(
            "SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_SUBNET is required with SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_NAME=v6");
    assertThatThrownBy(
            () ->
                DefaultPoolSpec.fromEnv(
                    Map.of(
                        "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME", "v4",
                        "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET", "fd00::/64")))
        .hasMessageContaining("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET");
    assertThatThrownBy(() -> DefaultPoolSpec.ranges("[1, 2]", "X"))
        .hasMessageContaining("X is not a JSON array of strings");
  }
}
