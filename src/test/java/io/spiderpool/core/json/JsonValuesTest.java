// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonValuesTest {

  static Stream<Arguments> accepted() {
    BiFunction<Object, String, Object> object = JsonValues::asObject;
    BiFunction<Object, String, Object> array = JsonValues::asArray;
    BiFunction<Object, String, Object> string = JsonValues::asString;
    BiFunction<Object, String, Object> bool = JsonValues::asBoolean;
    BiFunction<Object, String, Object> integer = JsonValues::asInt;
    BiFunction<Object, String, Object> strings = JsonValues::asStringList;
    return Stream.of(
        arguments(object, Map.of("a", 1L), Map.of("a", 1L)),
        arguments(array, List.of(1L), List.of(1L)),
        arguments(string, "x", "x"),
        arguments(bool, true, true),
        arguments(integer, 7L, 7),
        arguments(integer, 7, 7),
        arguments(integer, (short) -3, -3),
        arguments(integer, BigInteger.valueOf(Integer.MAX_VALUE), Integer.MAX_VALUE),
        arguments(strings, List.of("a", "b"), List.of("a", "b")),
        arguments(strings, null, List.of()));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void readsValuesOfTheExpectedType(
      BiFunction<Object, String, Object> read, Object value, Object expected) {
    assertThat(read.apply(value, "x")).isEqualTo(expected);
  }

  static Stream<Arguments> rejected() {
    BiFunction<Object, String, Object> object = JsonValues::asObject;
    BiFunction<Object, String, Object> array = JsonValues::asArray;
    BiFunction<Object, String, Object> string = JsonValues::asString;
    BiFunction<Object, String, Object> bool = JsonValues::asBoolean;
    BiFunction<Object, String, Object> integer = JsonValues::asInt;
    BiFunction<Object, String, Object> strings = JsonValues::asStringList;
    return Stream.of(
        arguments(object, List.of(), "p must be an object, not an array"),
        arguments(object, Map.of(1, "a"), "p has the key 1 (a number): keys must be strings"),
        arguments(array, "a", "p must be an array, not a string"),
        arguments(string, null, "p must be a string, not null"),
        arguments(string, 1L, "p must be a string, not a number"),
        arguments(bool, "true", "p must be a boolean (true or false), not a string"),
        arguments(integer, new BigDecimal("1.5"), "p must be an integer, not a number"),
        arguments(integer, 2.0d, "p must be an integer, not a number"),
        arguments(integer, true, "p must be an integer, not a boolean"),
        arguments(
            integer,
            1L << 31,
            "p is 2147483648, which is out of range: write an integer"
                + " between -2147483648 and 2147483647"),
        arguments(strings, "a", "p must be an array of strings, not a string"),
        arguments(strings, Arrays.asList("a", null), "p[1] must be a string, not null"),
        arguments(strings, List.of(Map.of()), "p[0] must be a string, not an object"),
        arguments(string, new Object(), "p must be a string, not a Object"));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void namesThePathAndTheTypeFound(
      BiFunction<Object, String, Object> read, Object value, String message) {
    assertThatThrownBy(() -> read.apply(value, "p"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @Test
  void fieldLookupIgnoresCaseLikeGo() {
    Map<String, Object> obj = Map.of("IPv4", List.of("a"));
    assertThat(JsonValues.field(obj, "ipv4")).isEqualTo(List.of("a"));
    assertThat(JsonValues.field(obj, "ipv6")).isNull();
  }

  @Test
  void fieldLookupRefusesKeysThatDifferOnlyInCase() {
    Object tree = JsonReader.parse("{\"ipv4\":[\"a\"],\"IPv4\":[\"b\"]}");
    assertThatThrownBy(() -> JsonValues.field(JsonValues.asObject(tree, "x"), "ipv4"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("keys \"ipv4\" and \"IPv4\" both set ipv4: write it once");
  }

  @Test
  void typeNames() {
    assertThat(Stream.of(null, "", 1L, true, Map.of(), List.of()).map(JsonValues::typeName))
        .containsExactly("null", "a string", "a number", "a boolean", "an object", "an array");
  }
}
