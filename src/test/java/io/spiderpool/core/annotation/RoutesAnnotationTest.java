// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoutesAnnotationTest {
  static final String PREFIX =
      "wrong input, invalid format of Pod annotation 'ipam.spidernet.io/routes': ";
  static final String SUFFIX =
      "; write e.g. [{\"dst\":\"10.0.0.0/16\",\"gw\":\"192.168.1.1\"},"
          + "{\"dst\":\"fd00:10::/64\",\"gw\":\"fd00::1\"}]";

  static Stream<Arguments> valid() {
    return Stream.of(
        arguments(
            "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"192.168.1.1\"}]",
            "10.0.0.0/16",
            "192.168.1.1",
            IpFamily.V4),
        arguments(
            "[{\"dst\":\"fd00:10::/64\",\"gw\":\"fd00::1\"}]",
            "fd00:10::/64",
            "fd00::1",
            IpFamily.V6),
        arguments(
            "[{\"dst\":\"10.0.0.5/16\",\"gw\":\"192.168.1.1\"}]",
            "10.0.0.5/16",
            "192.168.1.1",
            IpFamily.V4),
        arguments(
            "[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.1.1\",\"extra\":1}]",
            "0.0.0.0/0",
            "10.1.1.1",
            IpFamily.V4));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesRoutesOfEitherFamily(String value, String dst, String gw, IpFamily family) {
    List<PodRoute> routes = RoutesAnnotation.parse(value);
    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).dst().toString()).isEqualTo(dst);
    assertThat(routes.get(0).gw()).isEqualTo(IpAddress.parse(gw));
    assertThat(routes.get(0).family()).isEqualTo(family);
  }

  @Test
  void emptyAndNullMeanNoRoutes() {
    assertThat(RoutesAnnotation.parse("[]")).isEmpty();
    assertThat(RoutesAnnotation.parse("null")).isEmpty();
  }

  @Test
  void keepsOrder() {
    assertThat(
            RoutesAnnotation.parse(
                "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"10.1.0.1\"},"
                    + "{\"dst\":\"fd00::/8\",\"gw\":\"fd01::1\"}]"))
        .extracting(PodRoute::family)
        .containsExactly(IpFamily.V4, IpFamily.V6);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments("{}", "the value must be an array, not an object"),
        arguments("[{\"gw\":\"10.1.1.1\"}]", "[0].dst must be a string, not null"),
        arguments("[{\"dst\":\"10.0.0.0/16\"}]", "[0].gw must be a string, not null"),
        arguments(
            "[{\"dst\":\"10.0.0.0\",\"gw\":\"10.1.1.1\"}]",
            "[0]: '10.0.0.0' is not a CIDR:"
                + " write an address and a prefix length, e.g. 10.0.0.0/24"),
        arguments(
            "[{\"dst\":\"10.0.0.0/33\",\"gw\":\"10.1.1.1\"}]",
            "[0]: '10.0.0.0/33' is not a"
                + " CIDR: write an address and a prefix length 0-32, e.g. 10.0.0.0/24 or fd00::/64"),
        arguments(
            "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"10.1.1\"}]",
            "[0]: '10.1.1' is not an IP" + " address: write e.g. 172.18.40.10 or fd00::10"),
        arguments(
            "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"fd00::1\"}]",
            "[0]: dst 10.0.0.0/16 is IPv4"
                + " but gw fd00::1 is IPv6; dst and gw must be the same family"),
        arguments(
            "[{\"dst\":\"fd00::/64\",\"gw\":\"10.0.0.1\"}]",
            "[0]: dst fd00::/64 is IPv6"
                + " but gw 10.0.0.1 is IPv4; dst and gw must be the same family"),
        arguments("[1]", "[0] must be an object, not a number"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsBadRoutesNamingWhichOne(String value, String what) {
    assertThatThrownBy(() -> RoutesAnnotation.parse(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(PREFIX + what + SUFFIX);
  }

  @Test
  void routeRecordRefusesMixedFamilies() {
    assertThatThrownBy(
            () -> new PodRoute(Cidr.parsePrefixed("10.0.0.0/8"), IpAddress.parse("fd00::1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
