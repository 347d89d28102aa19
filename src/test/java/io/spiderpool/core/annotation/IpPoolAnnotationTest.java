// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpPoolAnnotationTest {
  static final String PREFIX =
      "wrong input, invalid format of Pod annotation 'ipam.spidernet.io/ippool': ";
  static final String SUFFIX = "; write e.g. {\"ipv4\":[\"v4-pool\"],\"ipv6\":[\"v6-pool\"]}";

  static Stream<Arguments> valid() {
    return Stream.of(
        arguments(
            "{\"ipv4\":[\"p1\",\"p2\"],\"ipv6\":[\"p6\"]}", List.of("p1", "p2"), List.of("p6")),
        arguments("{\"ipv4\":[\"v4-*\"]}", List.of("v4-*"), List.of()),
        arguments("{\"ipv6\":[\"p6\"]}", List.of(), List.of("p6")),
        arguments("{}", List.of(), List.of()),
        arguments("null", List.of(), List.of()),
        arguments("{\"ipv4\":null,\"ipv6\":[]}", List.of(), List.of()),
        arguments("{\"IPv4\":[\"a\"],\"unknown\":1}", List.of("a"), List.of()),
        arguments("  {\"ipv4\": [\"a\"]}\n", List.of("a"), List.of()));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesPoolsPerFamily(String value, List<String> v4, List<String> v6) {
    PoolNames names = IpPoolAnnotation.parse(value);
    assertThat(names.of(IpFamily.V4)).isEqualTo(v4);
    assertThat(names.of(IpFamily.V6)).isEqualTo(v6);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments("[\"p1\"]", "the value must be an object, not an array"),
        arguments("\"p1\"", "the value must be an object, not a string"),
        arguments("{\"ipv4\":\"p1\"}", "ipv4 must be an array of strings, not a string"),
        arguments("{\"ipv4\":[\"p1\",2]}", "ipv4[1] must be a string, not a number"),
        arguments("{\"ipv6\":[\"\"]}", "ipv6[0] is an empty IPPool name"),
        arguments(
            "{\"ipv4\":[\"a\"],\"IPV4\":[\"b\"]}",
            "keys \"ipv4\" and \"IPV4\" both set ipv4: write it once"),
        arguments(
            "{ipv4:[\"a\"]}",
            "invalid JSON at line 1, column 2: expected a string key or '}', found 'i'"),
        arguments(
            "",
            "invalid JSON at line 1, column 1: expected a JSON value (object, array,"
                + " string, number, true, false or null), found end of input"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsMalformedValuesNamingTheAnnotation(String value, String what) {
    assertThatThrownBy(() -> IpPoolAnnotation.parse(value))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(PREFIX + what + SUFFIX);
  }

  @Test
  void poolNamesAreImmutableAndReportEmptiness() {
    assertThat(PoolNames.NONE.isEmpty()).isTrue();
    assertThat(new PoolNames(null, List.of("x")).isEmpty()).isFalse();
    assertThatThrownBy(() -> IpPoolAnnotation.parse("{\"ipv4\":[\"a\"]}").ipv4().add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
