// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubnetAnnotationTest {
  static final String SINGLE = IpamAnnotations.POD_SUBNET;
  static final String MULTI = IpamAnnotations.POD_SUBNETS;

  static Stream<Arguments> validSingle() {
    return Stream.of(
        arguments(
            "{\"interface\":\"net1\",\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}",
            new SubnetItem("net1", "s4", "s6")),
        arguments("{\"ipv4\":[\"s4\",\"ignored\"]}", new SubnetItem("eth0", "s4", null)),
        arguments("{\"ipv6\":[\"s6\",\"\"]}", new SubnetItem("eth0", null, "s6")),
        arguments(
            "{\"interface\":\"\",\"ipv4\":[\"s4\"],\"ipv6\":[]}",
            new SubnetItem("eth0", "s4", null)));
  }

  @ParameterizedTest
  @MethodSource("validSingle")
  void singleTakesTheFirstNamePerFamilyAndDefaultsToEth0(String value, SubnetItem expected) {
    assertThat(SubnetAnnotation.parseSubnet(value)).isEqualTo(expected);
  }

  @Test
  void multipleKeepsEachNic() {
    assertThat(
            SubnetAnnotation.parseSubnets(
                "[{\"interface\":\"eth0\",\"ipv4\":[\"s1\"]},"
                    + "{\"interface\":\"net1\",\"ipv4\":[\"s2\"],\"ipv6\":[\"s6\"]}]"))
        .containsExactly(new SubnetItem("eth0", "s1", null), new SubnetItem("net1", "s2", "s6"));
  }

  static Stream<Arguments> invalidSingle() {
    return Stream.of(
        arguments("{}", "names no SpiderSubnet: set ipv4, ipv6 or both"),
        arguments("{\"ipv4\":[],\"ipv6\":null}", "names no SpiderSubnet: set ipv4, ipv6 or both"),
        arguments("null", "the value must be an object, not null"),
        arguments("{\"ipv4\":[\"\"]}", "ipv4[0] is an empty SpiderSubnet name"),
        arguments("{\"ipv6\":\"s6\"}", "ipv6 must be an array of strings, not a string"),
        arguments(
            "{\"interface\":true,\"ipv4\":[\"s\"]}", "interface must be a string, not a boolean"));
  }

  @ParameterizedTest
  @MethodSource("invalidSingle")
  void rejectsBadSingleValues(String value, String what) {
    assertThatThrownBy(() -> SubnetAnnotation.parseSubnet(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Pod annotation '"
                + SINGLE
                + "': "
                + what
                + "; write e.g. {\"interface\":\"eth0\",\"ipv4\":[\"subnet-v4\"],"
                + "\"ipv6\":[\"subnet-v6\"]}");
  }

  static Stream<Arguments> invalidMultiple() {
    return Stream.of(
        arguments("[]", "value requires at least one item"),
        arguments("null", "value requires at least one item"),
        arguments("{}", "the value must be an array, not an object"),
        arguments(
            "[{\"interface\":\"eth0\"}]", "[0] names no SpiderSubnet: set ipv4, ipv6 or both"),
        arguments(
            "[{\"interface\":\"eth0\",\"ipv4\":[\"\"]}]",
            "[0].ipv4[0] is an empty SpiderSubnet name"),
        arguments(
            "[{\"interface\":\"eth0\",\"ipv4\":[\"s\"]},{\"interface\":\"net1\","
                + "\"ipv4\":[\"s\"]}]",
            "SpiderSubnet s is named for two interfaces: give each NIC" + " its own subnet"),
        arguments(
            "[{\"interface\":\"eth0\",\"ipv6\":[\"s\"]},{\"interface\":\"net1\","
                + "\"ipv6\":[\"s\"]}]",
            "SpiderSubnet s is named for two interfaces: give each NIC" + " its own subnet"),
        arguments(
            "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"]},{\"interface\":\"eth0\","
                + "\"ipv4\":[\"b\"]}]",
            "duplicate interface eth0: list each NIC once"),
        arguments(
            "[{\"ipv4\":[\"a\"]},{\"ipv4\":[\"b\"]}]", "duplicate interface : list each NIC once"));
  }

  @ParameterizedTest
  @MethodSource("invalidMultiple")
  void rejectsBadMultipleValues(String value, String what) {
    assertThatThrownBy(() -> SubnetAnnotation.parseSubnets(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Pod annotation '"
                + MULTI
                + "': "
                + what
                + "; write e.g. [{\"interface\":\"eth0\",\"ipv4\":[\"subnet-a\"]},"
                + "{\"interface\":\"net1\",\"ipv4\":[\"subnet-b\"]}]");
  }

  @Test
  void sameSubnetNameForBothFamiliesIsFine() {
    assertThat(
            SubnetAnnotation.parseSubnets(
                "[{\"interface\":\"eth0\",\"ipv4\":[\"s\"]," + "\"ipv6\":[\"s\"]}]"))
        .containsExactly(new SubnetItem("eth0", "s", "s"));
  }

  @Test
  void fromPodPrefersSubnetsAndPicksTheItemForTheNic() {
    Map<String, String> both =
        Map.of(
            SINGLE,
            "{\"ipv4\":[\"single\"]}",
            MULTI,
            "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"]},{\"interface\":\"net1\","
                + "\"ipv4\":[\"b\"]}]");
    SubnetAnnotation a = SubnetAnnotation.fromPod(both).orElseThrow();
    assertThat(a.multiple()).isTrue();
    assertThat(a.forNic("net1").flatMap(i -> i.subnet(IpFamily.V4))).contains("b");
    assertThat(a.forNic("net2")).isEmpty();

    SubnetAnnotation single =
        SubnetAnnotation.fromPod(Map.of(SINGLE, "{\"ipv6\":[\"s6\"]}")).orElseThrow();
    assertThat(single.multiple()).isFalse();
    assertThat(single.forNic("net7").orElseThrow().subnet(IpFamily.V6)).contains("s6");
    assertThat(single.items()).containsExactly(new SubnetItem("eth0", null, "s6"));

    assertThat(SubnetAnnotation.fromPod(Map.of())).isEmpty();
    assertThat(List.of(SubnetAnnotation.fromPod(Map.of("x", "y"))))
        .containsExactly(Optional.empty());
  }

  @Test
  void moreThanMaxNicsSubnetItemsAreRefusedNamingTheAnnotation() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i <= IpamAnnotations.MAX_NICS; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"interface\":\"net")
          .append(i)
          .append("\",\"ipv4\":[\"s")
          .append(i)
          .append("\"]}");
    }
    String over = b.append(']').toString();
    assertThatThrownBy(() -> SubnetAnnotation.parseSubnets(over))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ipam.spidernet.io/subnets")
        .hasMessageContaining("value lists 65 NICs; at most 64 are allowed");
    String most = over.substring(0, over.lastIndexOf(",{")) + "]";
    assertThat(SubnetAnnotation.parseSubnets(most)).hasSize(IpamAnnotations.MAX_NICS);
  }
}
