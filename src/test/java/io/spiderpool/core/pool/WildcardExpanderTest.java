// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

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

class WildcardExpanderTest {
  /** Listed out of order on purpose; a v6 pool named like v4 patterns must never match them. */
  static final PoolCatalog POOLS =
      Fixtures.catalog(
          Fixtures.v4("v4-b"),
          Fixtures.v4("z"),
          Fixtures.v4("v4-a"),
          Fixtures.v4("a"),
          Fixtures.v6("v4-c"),
          Fixtures.v6("v6-b"),
          Fixtures.v6("v6-a"),
          Fixtures.v6("v6-1"));

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments(IpFamily.V4, List.of("z", "v4-*", "a"), List.of("z", "v4-a", "v4-b", "a")),
        arguments(IpFamily.V6, List.of("v6-[ab]", "v4-c"), List.of("v6-a", "v6-b", "v4-c")),
        arguments(IpFamily.V4, List.of("*"), List.of("a", "v4-a", "v4-b", "z")),
        arguments(IpFamily.V6, List.of("v6-?"), List.of("v6-1", "v6-a", "v6-b")),
        arguments(IpFamily.V6, List.of("v6-[^0-9]"), List.of("v6-a", "v6-b")),
        arguments(IpFamily.V4, List.of("nothing-*"), List.of()),
        arguments(IpFamily.V4, List.of("missing", "v4-a"), List.of("missing", "v4-a")),
        arguments(IpFamily.V4, List.of("v4-a", "v4-*"), List.of("v4-a", "v4-a", "v4-b")),
        arguments(IpFamily.V4, List.of("v4-["), List.of("v4-[")));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("cases")
  void expandsInPlaceSortedByNameWithinTheFamily(
      IpFamily family, List<String> names, List<String> expected) {
    assertThat(WildcardExpander.expand(names, family, POOLS, CandidateSource.CNI_CONFIG))
        .isEqualTo(expected);
  }

  @Test
  void malformedPatternNamesTheFamilyAndTheSource() {
    assertThatThrownBy(
            () ->
                WildcardExpander.expand(
                    List.of("v6-[a-]"), IpFamily.V6, POOLS, CandidateSource.NAMESPACE_ANNOTATION))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, IPv6 IPPool name in Namespace annotation"
                + " ipam.spidernet.io/default-ipv6-ippool: 'v6-[a-]' is not a valid wildcard pattern:"
                + " a character class is empty, unterminated, or has a misplaced '-' or ']'; use *"
                + " and ? and classes like [a-z] or [^0-9], with \\ to escape");
  }
}
