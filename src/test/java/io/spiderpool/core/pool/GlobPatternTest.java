// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobPatternTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "*,            pool-a,        true",
    "*,            '',            true",
    "pool-*,       pool-a,        true",
    "pool-*,       pool-,         true",
    "pool-*,       other,         false",
    "*-v4,         default-v4,    true",
    "*-v4,         default-v6,    false",
    "p*l*a,        pool-a,        true",
    "p*l*a,        pool-b,        false",
    "pool-?,       pool-a,        true",
    "pool-?,       pool-ab,       false",
    "pool-?,       pool-,         false",
    "pool-[ab],    pool-b,        true",
    "pool-[ab],    pool-c,        false",
    "pool-[a-c],   pool-b,        true",
    "pool-[a-c],   pool-d,        false",
    "pool-[^a-c],  pool-d,        true",
    "pool-[^a-c],  pool-a,        false",
    "pool-[0-9a],  pool-7,        true",
    "pool-[z-a],   pool-m,        false",
    "'pool-\\*',   pool-*,        true",
    "'pool-\\*',   pool-a,        false",
    "'[\\]]x',     ]x,            true",
    "'[\\-]',      -,             true",
    "a*/b,         a/b,           true",
    "a*b,          a/b,           false",
    "a?b,          a/b,           false",
    "*,            a/b,           false",
    "a[/]b,        a/b,           true",
    "**x,          abcx,          true",
    "*a*a*a*,      aaa,           true",
    "*a*a*a*,      aa,            false",
  })
  void matchesLikeGoFilepathMatch(String pattern, String name, boolean expected) {
    assertThat(GlobPattern.compile(pattern).matches(name)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is malformed")
  @CsvSource(
      delimiter = '|',
      value = {
        "pool-[             | a character class is empty, unterminated, or has a misplaced '-' or ']'",
        "pool-[]            | a character class is empty, unterminated, or has a misplaced '-' or ']'",
        "pool-[^]           | a character class is empty, unterminated, or has a misplaced '-' or ']'",
        "pool-[-a]          | a character class is empty, unterminated, or has a misplaced '-' or ']'",
        "pool-[a-]          | a character class is empty, unterminated, or has a misplaced '-' or ']'",
        "pool-[a            | a character class is not closed with ']'",
        "pool-[a-b          | a character class is not closed with ']'",
        "'pool-\\'          | it ends with a lone '\\'",
      })
  void rejectsMalformedPatterns(String pattern, String why) {
    assertThatThrownBy(() -> GlobPattern.compile(pattern))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "'"
                + pattern
                + "' is not a valid wildcard pattern: "
                + why
                + "; use * and ? and classes like [a-z] or [^0-9], with \\ to escape");
  }

  @ParameterizedTest(name = "{0} wildcard? {1}")
  @CsvSource({
    "pool-a,   false",
    "pool-*,   true",
    "pool-?,   true",
    "pool-[a], true",
    "pool-[a,  false",
    "pool-a],  false",
    "'a\\b',   false",
  })
  void detectsWildcardsAsSpiderpoolDoes(String name, boolean expected) {
    assertThat(GlobPattern.hasWildcard(name)).isEqualTo(expected);
  }
}
