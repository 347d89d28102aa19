// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonWriterTest {

  static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Stream<Arguments> values() {
    return Stream.of(
        arguments(null, "null"),
        arguments(true, "true"),
        arguments("a\"b\\c", "\"a\\\"b\\\\c\""),
        arguments("\n\r\t\b\f\u0001\u001f", "\"\\n\\r\\t\\b\\f\\u0001\\u001f\""),
        arguments("é中\uD83D\uDE00", "\"é中\uD83D\uDE00\""),
        arguments("\u2028\u2029", "\"\\u2028\\u2029\""),
        arguments("\uD83D", "\"\\ud83d\""),
        arguments("x\uDE00", "\"x\\ude00\""),
        arguments(42L, "42"),
        arguments(-7, "-7"),
        arguments((short) 3, "3"),
        arguments((byte) 4, "4"),
        arguments(
            new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
        arguments(new BigDecimal("1.50"), "1.50"),
        arguments(2.5d, "2.5"),
        arguments(List.of(), "[]"),
        arguments(Map.of(), "{}"),
        arguments(Arrays.asList(1L, null, "x"), "[1,null,\"x\"]"),
        arguments(new Object[] {"a", 1}, "[\"a\",1]"),
        arguments(
            ordered(
                "172.18.40.10",
                ordered("pod", "default/web-0", "podUid", "u-1"),
                "fd00::10",
                ordered("pod", "default/web-1", "podUid", "u-2")),
            "{\"172.18.40.10\":{\"pod\":\"default/web-0\",\"podUid\":\"u-1\"},"
                + "\"fd00::10\":{\"pod\":\"default/web-1\",\"podUid\":\"u-2\"}}"));
  }

  @ParameterizedTest
  @MethodSource("values")
  void writesCompactJson(Object value, String expected) {
    assertThat(JsonWriter.write(value)).isEqualTo(expected);
  }

  /**
   * Found by the jsonReader fuzz target: a 100-character token with an exponent was written as
   * BigDecimal's "7.77...8E+148" (103 characters), which the reader then refused as too long.
   */
  @Test
  void whatTheReaderAcceptsIsWrittenSoItReadsBack() {
    String token = "7".repeat(95) + "8e52";
    assertThat(token).hasSize(99);
    String longest = "7".repeat(96) + "8e52";
    for (String t :
        List.of(token, longest, "1" + "2".repeat(94) + "e-100", "-" + "9".repeat(96) + "e-9")) {
      Object read = JsonReader.parse(t);
      String written = JsonWriter.write(read);
      assertThat(written.length()).as(written).isLessThanOrEqualTo(t.length());
      assertThat(JsonReader.parse(written)).isEqualTo(read);
    }
    assertThat(JsonWriter.write(new BigDecimal("1E+400"))).isEqualTo("1e400");
  }

  static Stream<Arguments> unwritable() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    Map<Object, Object> intKey = new LinkedHashMap<>();
    intKey.put(1, "x");
    return Stream.of(
        arguments(Double.NaN, "cannot write NaN as JSON: not a finite number"),
        arguments(Float.POSITIVE_INFINITY, "cannot write Infinity as JSON: not a finite number"),
        arguments(new Object(), "cannot write a java.lang.Object as JSON"),
        arguments(intKey, "cannot write JSON object key 1: keys must be strings"),
        arguments(cycle, "cannot write JSON nested deeper than 256 levels (a cycle?)"));
  }

  @ParameterizedTest
  @MethodSource("unwritable")
  void refusesWhatIsNotJson(Object value, String message) {
    assertThatThrownBy(() -> JsonWriter.write(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void outputReadsBackToTheSameTree() {
    Object tree =
        JsonReader.parse(
            "{\"a\":[1,-2,3.25,\"\\u00e9\\n\",true,false,null,{\"b\":{}}],\"c\":\"\\uD83D\\uDE00\"}");
    assertThat(JsonReader.parse(JsonWriter.write(tree))).isEqualTo(tree);
  }
}
