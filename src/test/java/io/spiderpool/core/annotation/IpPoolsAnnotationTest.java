// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpPoolsAnnotationTest {
  static final String PREFIX =
      "wrong input, invalid format of Pod annotation 'ipam.spidernet.io/ippools': ";
  static final String SUFFIX =
      "; write e.g. [{\"interface\":\"eth0\",\"ipv4\":[\"v4-pool\"]},"
          + "{\"interface\":\"net1\",\"ipv4\":[\"v4-pool-2\"],\"cleangateway\":true}]";

  @Test
  void namedModeKeepsInterfacesAndCleanGateway() {
    IpPoolsAnnotation a =
        IpPoolsAnnotation.parse(
            "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"],"
                + "\"ipv6\":[\"a6\"]},{\"interface\":\"net1\",\"ipv4\":[\"b\"],\"cleangateway\":true}]");
    assertThat(a.named()).isTrue();
    assertThat(a.items())
        .containsExactly(
            new NicPools("eth0", new PoolNames(List.of("a"), List.of("a6")), false),
            new NicPools("net1", new PoolNames(List.of("b"), List.of()), true));
    assertThat(a.forNic("net1")).map(NicPools::cleanGateway).contains(true);
    assertThat(a.forNic("net2")).isEmpty();
  }

  @Test
  void unnamedModeNamesNicsByIndexAsSpiderpoolDoes() {
    IpPoolsAnnotation a =
        IpPoolsAnnotation.parse("[{\"ipv4\":[\"a\"]},{\"ipv6\":[\"b6\"],\"cleangateway\":false}]");
    assertThat(a.named()).isFalse();
    assertThat(a.items()).extracting(NicPools::nic).containsExactly("0", "1");
    assertThat(a.items().get(1).pools().ipv6()).containsExactly("b6");
  }

  @Test
  void atMostMaxNicsItemsOneMoreIsRefusedNamingTheAnnotation() {
    String item = "{\"ipv4\":[\"a\"]}";
    String most = "[" + String.join(",", Collections.nCopies(IpamAnnotations.MAX_NICS, item)) + "]";
    assertThat(IpPoolsAnnotation.parse(most).items()).hasSize(IpamAnnotations.MAX_NICS);
    String over =
        "[" + String.join(",", Collections.nCopies(IpamAnnotations.MAX_NICS + 1, item)) + "]";
    assertThatThrownBy(() -> IpPoolsAnnotation.parse(over))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ipam.spidernet.io/ippools")
        .hasMessageContaining("value lists 65 NICs; at most 64 are allowed");
  }

  @Test
  void emptyInterfaceCountsAsUnnamed() {
    assertThat(IpPoolsAnnotation.parse("[{\"interface\":\"\",\"ipv4\":[\"a\"]}]").named())
        .isFalse();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments("[]", "value requires at least one item"),
        arguments("null", "value requires at least one item"),
        arguments("{}", "the value must be an array, not an object"),
        arguments(
            "[{\"interface\":\"eth0\"},{\"ipv4\":[\"b\"]}]",
            "interface must be set on all items or on none"),
        arguments(
            "[{\"ipv4\":[\"b\"]},{\"interface\":\"net1\"}]",
            "interface must be set on all items or on none"),
        arguments(
            "[{\"interface\":\"eth0\"},{\"interface\":\"eth0\"}]",
            "duplicate interface eth0: list each NIC once"),
        arguments("[1]", "[0] must be an object, not a number"),
        arguments("[{\"interface\":1}]", "[0].interface must be a string, not a number"),
        arguments(
            "[{\"interface\":\"eth0\",\"cleangateway\":\"true\"}]",
            "[0].cleangateway must be a boolean (true or false), not a string"),
        arguments(
            "[{\"interface\":\"eth0\",\"ipv4\":[\"\"]}]", "[0].ipv4[0] is an empty IPPool name"),
        arguments(
            "[{\"interface\":\"eth0\",\"ipv6\":{}}]",
            "[0].ipv6 must be an array of strings, not an object"),
        arguments(
            "[{\"interface\":\"eth0\"},]",
            "invalid JSON at line 1, column 23: expected a"
                + " JSON value after ',', found ']' (trailing commas are not JSON)"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsMalformedValuesNamingTheAnnotation(String value, String what) {
    assertThatThrownBy(() -> IpPoolsAnnotation.parse(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(PREFIX + what + SUFFIX);
  }
}
