// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonReaderTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        arguments("{}", Map.of()),
        arguments("[]", List.of()),
        arguments(" \t\r\n{ \"a\" : 1 }\n", Map.of("a", 1L)),
        arguments("\"x\"", "x"),
        arguments("true", true),
        arguments("false", false),
        arguments("0", 0L),
        arguments("-0", 0L),
        arguments("-12", -12L),
        arguments("9223372036854775807", Long.MAX_VALUE),
        arguments("-9223372036854775808", Long.MIN_VALUE),
        arguments("9223372036854775808", new BigDecimal("9223372036854775808")),
        arguments("1.50", new BigDecimal("1.50")),
        arguments("1e3", new BigDecimal("1e3")),
        arguments("-2.5E-3", new BigDecimal("-2.5E-3")),
        arguments("[1,\"a\",true,null,{}]", Arrays.asList(1L, "a", true, null, Map.of())),
        arguments(
            "{\"ipv4\":[\"p1\",\"p2\"],\"ipv6\":[]}",
            Map.of("ipv4", List.of("p1", "p2"), "ipv6", List.of())),
        arguments("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\" \\ / \b \f \n \r \t"),
        arguments("\"\\u0041\\u00e9\\u4e2d\"", "Aé中"),
        arguments("\"\\uD83D\\uDE00\"", "\uD83D\uDE00"),
        arguments("\"\uD83D\uDE00 raw\"", "\uD83D\uDE00 raw"),
        arguments("\"é\"", "é"));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesValidJson(String text, Object expected) {
    assertThat(JsonReader.parse(text)).isEqualTo(expected);
  }

  @Test
  void parsesNullAsJavaNull() {
    assertThat(JsonReader.parse(" null ")).isNull();
  }

  @Test
  void keepsDocumentOrderOfKeys() {
    Object tree = JsonReader.parse("{\"z\":1,\"a\":2,\"m\":3}");
    assertThat(List.copyOf(((Map<?, ?>) tree).keySet())).isEqualTo(List.of("z", "a", "m"));
  }

  @Test
  void treeIsUnmodifiable() {
    Map<?, ?> map = (Map<?, ?>) JsonReader.parse("{\"a\":[1]}");
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) map.get("a")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(
            "",
            "line 1, column 1: expected a JSON value (object, array, string, number,"
                + " true, false or null), found end of input"),
        arguments("{\"a\":1,}", "line 1, column 8: expected a string key after ',', found '}'"),
        arguments(
            "[1,]",
            "line 1, column 4: expected a JSON value after ',', found ']'"
                + " (trailing commas are not JSON)"),
        arguments("{'a':1}", "line 1, column 2: expected a string key or '}', found '''"),
        arguments("{\"a\" 1}", "line 1, column 6: expected ':' after the key \"a\", found '1'"),
        arguments(
            "{\"a\":1 \"b\":2}",
            "line 1, column 8: expected ',' or '}' after an object member, found '\"'"),
        arguments(
            "[1 2]",
            "line 1, column 4: expected ',' or ']' after an array element," + " found '2'"),
        arguments(
            "{\"a\":1,\n \"a\":2}",
            "line 2, column 2: duplicate key \"a\" in an object: write each key once"),
        arguments("01", "line 1, column 2: leading zeros are not allowed in a number"),
        arguments("-", "line 1, column 2: expected a digit, found end of input"),
        arguments(
            "1.",
            "line 1, column 3: expected a digit after the decimal point," + " found end of input"),
        arguments("1e+", "line 1, column 4: expected a digit in the exponent, found end of input"),
        arguments(
            ".5",
            "line 1, column 1: expected a JSON value (object, array, string, number,"
                + " true, false or null), found '.'"),
        arguments(
            "NaN",
            "line 1, column 1: expected a JSON value (object, array, string, number,"
                + " true, false or null), found 'N'"),
        arguments(
            "tru", "line 1, column 1: expected a JSON value, found 't' (did you mean" + " true?)"),
        arguments(
            "nul", "line 1, column 1: expected a JSON value, found 'n' (did you mean" + " null?)"),
        arguments(
            "1 2", "line 1, column 3: expected end of input after the JSON value," + " found '2'"),
        arguments(
            "{} // c",
            "line 1, column 4: expected end of input after the JSON value," + " found '/'"),
        arguments("\"abc", "line 1, column 5: unterminated string: expected a closing '\"'"),
        arguments(
            "\"a\nb\"",
            "line 1, column 3: control character U+000A must be escaped inside" + " a string"),
        arguments(
            "\"\\x\"",
            "line 1, column 3: invalid escape 'x' after '\\': use \\\", \\\\,"
                + " \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"),
        arguments("\"\\u12G4\"", "line 1, column 6: expected 4 hex digits after \\u, found 'G'"),
        arguments(
            "\"\\uD83D\"",
            "line 1, column 2: unpaired surrogate \\uD83D: a character above"
                + " U+FFFF is written as a pair such as \\uD83D\\uDE00"),
        arguments(
            "\"\\uDE00\\uD83D\"",
            "line 1, column 2: unpaired surrogate \\uDE00: a"
                + " character above U+FFFF is written as a pair such as \\uD83D\\uDE00"),
        arguments(
            "\"\\uD83D\\u0041\"",
            "line 1, column 2: unpaired surrogate \\uD83D: a"
                + " character above U+FFFF is written as a pair such as \\uD83D\\uDE00"),
        arguments(
            "\"\uD83D x\"",
            "line 1, column 2: unpaired surrogate character U+D83D in a" + " string"),
        arguments(
            "\u00a0{}",
            "line 1, column 1: expected a JSON value (object, array, string,"
                + " number, true, false or null), found U+00A0"),
        arguments("1" + "0".repeat(100), "line 1, column 1: number longer than 100 characters"),
        arguments("1e9999999999", "line 1, column 1: number 1e9999999999 is out of range"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsInvalidJsonSayingWhereAndWhat(String text, String message) {
    assertThatThrownBy(() -> JsonReader.parse(text))
        .isInstanceOf(JsonSyntaxException.class)
        .hasMessage("invalid JSON at " + message);
  }

  @Test
  void errorCarriesPosition() {
    JsonSyntaxException e =
        (JsonSyntaxException) Assertions.catchThrowable(() -> JsonReader.parse("[\n  1,\n  x]"));
    assertThat(e.offset()).isEqualTo(9);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(3);
  }

  @Test
  void rejectsNestingBeyondTheLimit() {
    JsonReader reader = JsonReader.withLimits(3, 100);
    assertThat(reader.read("[[[1]]]")).isEqualTo(List.of(List.of(List.of(1L))));
    assertThatThrownBy(() -> reader.read("[[[[1]]]]"))
        .hasMessage(
            "invalid JSON at line 1, column 4: nesting deeper than 3 levels of objects"
                + " and arrays");
    assertThatThrownBy(() -> reader.read("{\"a\":{\"b\":{\"c\":{}}}}"))
        .hasMessage(
            "invalid JSON at line 1, column 16: nesting deeper than 3 levels of objects"
                + " and arrays");
  }

  @Test
  void defaultDepthLimitStopsDeepNestingWithoutStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> JsonReader.parse(deep))
        .hasMessage(
            "invalid JSON at line 1, column 65: nesting deeper than 64 levels of objects"
                + " and arrays");
  }

  @Test
  void rejectsInputBeyondTheLengthLimit() {
    assertThatThrownBy(() -> JsonReader.withLimits(8, 5).read("[1, 2]"))
        .isInstanceOf(JsonSyntaxException.class)
        .hasMessage("invalid JSON at line 1, column 6: input longer than 5 characters");
  }

  @Test
  void rejectsNullText() {
    assertThatThrownBy(() -> JsonReader.parse(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("no JSON text given: write a JSON value such as {} or []");
  }

  @Test
  void rejectsNonPositiveLimits() {
    assertThatThrownBy(() -> JsonReader.withLimits(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyOrderSurvivesLargeObjects() {
    StringBuilder text = new StringBuilder("{");
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 99; i >= 0; i--) {
      text.append(i == 99 ? "" : ",").append("\"k").append(i).append("\":").append(i);
      expected.put("k" + i, (long) i);
    }
    Map<?, ?> map = (Map<?, ?>) JsonReader.parse(text.append('}').toString());
    assertThat(List.copyOf(map.keySet())).isEqualTo(List.copyOf(expected.keySet()));
  }
}
