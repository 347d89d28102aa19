// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceDefaultPoolsTest {
  static final String V4 = IpamAnnotations.NS_DEFAULT_IPV4_IPPOOL;
  static final String V6 = IpamAnnotations.NS_DEFAULT_IPV6_IPPOOL;

  static Stream<Arguments> valid() {
    return Stream.of(
        arguments(Map.of(), List.of(), List.of()),
        arguments(
            Map.of(V4, "[\"ns-v4-1\",\"ns-v4-*\"]"), List.of("ns-v4-1", "ns-v4-*"), List.of()),
        arguments(Map.of(V6, "[\"ns-v6\"]"), List.of(), List.of("ns-v6")),
        arguments(Map.of(V4, "[\"a\"]", V6, "[\"b\"]"), List.of("a"), List.of("b")),
        arguments(Map.of(V4, "null", V6, "[]"), List.of(), List.of()),
        arguments(Map.of("other", "x"), List.of(), List.of()));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void readsBothFamilies(Map<String, String> annotations, List<String> v4, List<String> v6) {
    assertThat(NamespaceDefaultPools.parse(annotations)).isEqualTo(new PoolNames(v4, v6));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(
            V4,
            "\"a\"",
            "the value must be an array of strings, not a string",
            "[\"ns-v4-pool1\",\"ns-v4-pool2\"]"),
        arguments(
            V6,
            "[a]",
            "invalid JSON at line 1, column 2: expected a JSON value (object,"
                + " array, string, number, true, false or null), found 'a'",
            "[\"ns-v6-pool1\"]"),
        arguments(V6, "[\"\"]", "the value[0] is an empty IPPool name", "[\"ns-v6-pool1\"]"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsMalformedValuesNamingTheAnnotation(
      String key, String value, String what, String example) {
    assertThatThrownBy(() -> NamespaceDefaultPools.parse(Map.of(key, value)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Namespace annotation '"
                + key
                + "': "
                + what
                + "; write e.g. "
                + example);
  }

  @Test
  void nullAnnotationsMeanNone() {
    assertThat(NamespaceDefaultPools.parse(null)).isEqualTo(PoolNames.NONE);
  }
}
