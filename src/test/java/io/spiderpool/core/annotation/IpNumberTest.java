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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class IpNumberTest {

  @ParameterizedTest(name = "{0} -> flexible={1}, count={2}")
  @CsvSource({
    "5,          false, 5",
    "0,          false, 0",
    "+0,         true,  0",
    "+1,         true,  1",
    "007,        false, 7",
    "-0,         false, 0",
    "2147483647, false, 2147483647",
  })
  void parsesFixedAndFlexible(String value, boolean flexible, int count) {
    assertThat(IpNumber.parse(value)).isEqualTo(new IpNumber(flexible, count));
  }

  static Stream<Arguments> rejectsAnythingElseCases() {
    return Stream.of(
        arguments("", "'' is not a whole number"),
        arguments("+", "'+' is not a whole number"),
        arguments("++1", "'++1' is not a whole number"),
        arguments("1+1", "'1+1' is not a whole number"),
        arguments("+-1", "'+-1' is negative; the number must be 0 or more"),
        arguments("-3", "'-3' is negative; the number must be 0 or more"),
        arguments(" 1", "' 1' is not a whole number"),
        arguments("1.5", "'1.5' is not a whole number"),
        arguments("abc", "'abc' is not a whole number"),
        arguments("2147483648", "'2147483648' is too large"),
        arguments("99999999999", "'99999999999' is not a whole number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectsAnythingElseCases")
  void rejectsAnythingElse(String value, String what) {
    assertThatThrownBy(() -> IpNumber.parse(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Pod annotation"
                + " 'ipam.spidernet.io/ippool-ip-number': "
                + what
                + "; write e.g. \"5\" for a fixed size or \"+1\" for replicas + 1");
  }

  @Test
  void absentAnnotationIsFlexibleWithTheClusterDefault() {
    assertThat(IpNumber.fromPod(Map.of(), 1)).isEqualTo(IpNumber.flexible(1));
    assertThat(IpNumber.fromPod(Map.of(IpamAnnotations.POD_IPPOOL_IP_NUMBER, "3"), 1))
        .isEqualTo(new IpNumber(false, 3));
    assertThat(IpNumber.flexible(2).toString()).isEqualTo("+2");
    assertThat(new IpNumber(false, 2).toString()).isEqualTo("2");
    assertThatThrownBy(() -> new IpNumber(false, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
