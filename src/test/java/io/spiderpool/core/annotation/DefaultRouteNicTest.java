// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultRouteNicTest {

  @ParameterizedTest
  @ValueSource(strings = {"net1", "eth0", "ens1f0v12", "a", "vlan.100", "abcdefghijklmno"})
  void acceptsInterfaceNames(String nic) {
    assertThat(DefaultRouteNic.parse(nic)).isEqualTo(nic);
  }

  static Stream<Arguments> rejectsWhatTheKernelRejectsCases() {
    return Stream.of(
        arguments("", "the interface name is empty"),
        arguments("abcdefghijklmnop", "'abcdefghijklmnop' is longer than 15 bytes"),
        arguments(".", "'.' is not an interface name"),
        arguments("..", "'..' is not an interface name"),
        arguments("net/1", "'net/1' contains '/', ':' or whitespace"),
        arguments("net:1", "'net:1' contains '/', ':' or whitespace"),
        arguments("net 1", "'net 1' contains '/', ':' or whitespace"),
        arguments("nétéééééé", "'nétéééééé' is longer than 15 bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectsWhatTheKernelRejectsCases")
  void rejectsWhatTheKernelRejects(String nic, String what) {
    assertThatThrownBy(() -> DefaultRouteNic.parse(nic))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Pod annotation"
                + " 'ipam.spidernet.io/default-route-nic': "
                + what
                + "; write e.g. net1");
  }

  @Test
  void readsFromPodAnnotations() {
    assertThat(DefaultRouteNic.fromPod(Map.of())).isEmpty();
    assertThat(DefaultRouteNic.fromPod(Map.of(IpamAnnotations.POD_DEFAULT_ROUTE_NIC, "net2")))
        .contains("net2");
  }
}
