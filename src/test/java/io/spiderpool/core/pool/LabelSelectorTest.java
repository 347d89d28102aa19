// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

  static LabelSelector parse(String json) {
    return LabelSelector.fromTree(JsonReader.parse(json), "selector");
  }

  static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

  static Stream<Arguments> matching() {
    return Stream.of(
        arguments("{}", WEB, true),
        arguments("{}", Map.of(), true),
        arguments("{\"matchLabels\":{}}", WEB, true),
        arguments("{\"matchLabels\":{\"app\":\"web\"}}", WEB, true),
        arguments("{\"matchLabels\":{\"app\":\"db\"}}", WEB, false),
        arguments("{\"matchLabels\":{\"app\":\"web\",\"tier\":\"back\"}}", WEB, false),
        arguments("{\"matchLabels\":{\"zone\":\"\"}}", WEB, false),
        arguments("{\"matchLabels\":{\"zone\":\"\"}}", Map.of("zone", ""), true),
        arguments(expr("app", "In", "web", "api"), WEB, true),
        arguments(expr("app", "In", "db"), WEB, false),
        arguments(expr("zone", "In", "a"), WEB, false),
        arguments(expr("app", "NotIn", "db"), WEB, true),
        arguments(expr("app", "NotIn", "web"), WEB, false),
        arguments(expr("zone", "NotIn", "a"), WEB, true),
        arguments(expr("app", "Exists"), WEB, true),
        arguments(expr("zone", "Exists"), WEB, false),
        arguments(expr("zone", "DoesNotExist"), WEB, true),
        arguments(expr("app", "DoesNotExist"), WEB, false),
        arguments(
            "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\","
                + "\"operator\":\"In\",\"values\":[\"back\"]}]}",
            WEB,
            false),
        arguments(
            "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\","
                + "\"operator\":\"In\",\"values\":[\"front\"]}]}",
            WEB,
            true),
        arguments(
            "{\"matchLabels\":{\"kubernetes.io/hostname\":\"node-1\"}}",
            Map.of("kubernetes.io/hostname", "node-1"),
            true));
  }

  static String expr(String key, String op, String... values) {
    StringBuilder v = new StringBuilder();
    for (String s : values) {
      v.append(v.length() == 0 ? "" : ",").append('"').append(s).append('"');
    }
    return "{\"matchExpressions\":[{\"key\":\""
        + key
        + "\",\"operator\":\""
        + op
        + "\",\"values\":["
        + v
        + "]}]}";
  }

  @ParameterizedTest
  @MethodSource("matching")
  void matchesLikeApimachinery(String selector, Map<String, String> labels, boolean expected) {
    assertThat(parse(selector).matches(labels)).isEqualTo(expected);
  }

  @Test
  void nullSelectorMatchesNothingAndEmptyMatchesEverything() {
    assertThat(LabelSelector.matches(null, WEB)).isFalse();
    assertThat(LabelSelector.matches(LabelSelector.EVERYTHING, WEB)).isTrue();
    assertThat(LabelSelector.EVERYTHING.matches(null)).isTrue();
    assertThat(LabelSelector.EVERYTHING.isEmpty()).isTrue();
    assertThat(LabelSelector.matchLabels(Map.of("a", "b")).isEmpty()).isFalse();
  }

  static Stream<Arguments> invalid() {
    String keyHint =
        ": write an optional DNS subdomain prefix and '/', then a name of at most 63"
            + " characters (alphanumerics, '-', '_' or '.', starting and ending with an"
            + " alphanumeric), e.g. app.kubernetes.io/name";
    String valueHint =
        ": write at most 63 characters (alphanumerics, '-', '_' or '.', starting"
            + " and ending with an alphanumeric), or an empty value";
    return Stream.of(
        arguments(
            expr("app", "Gt", "1"),
            "selector.matchExpressions[0]: \"Gt\" is not a valid"
                + " label selector operator: use In, NotIn, Exists or DoesNotExist"),
        arguments(
            expr("app", "in", "web"),
            "selector.matchExpressions[0]: \"in\" is not a valid"
                + " label selector operator: use In, NotIn, Exists or DoesNotExist"),
        arguments(
            expr("app", "In"),
            "selector.matchExpressions[0]: operator In on key \"app\""
                + " needs at least one value"),
        arguments(
            expr("app", "NotIn"),
            "selector.matchExpressions[0]: operator NotIn on key"
                + " \"app\" needs at least one value"),
        arguments(
            expr("app", "Exists", "x"),
            "selector.matchExpressions[0]: operator Exists on"
                + " key \"app\" takes no values, but [x] were given"),
        arguments(
            expr("app", "DoesNotExist", "x"),
            "selector.matchExpressions[0]: operator"
                + " DoesNotExist on key \"app\" takes no values, but [x] were given"),
        arguments(
            expr("bad key", "Exists"),
            "selector.matchExpressions[0]: invalid label key \"bad key\"" + keyHint),
        arguments(
            expr("app", "In", "-web"),
            "selector.matchExpressions[0]: invalid label value"
                + " \"-web\" for key \"app\""
                + valueHint),
        arguments(
            "{\"matchLabels\":{\"/name\":\"x\"}}",
            "selector.matchLabels: invalid label key \"/name\"" + keyHint),
        arguments(
            "{\"matchLabels\":{\"Example.com/name\":\"x\"}}",
            "selector.matchLabels: invalid label key \"Example.com/name\"" + keyHint),
        arguments(
            "{\"matchLabels\":{\"a/b/c\":\"x\"}}",
            "selector.matchLabels: invalid label key \"a/b/c\"" + keyHint),
        arguments(
            "{\"matchLabels\":{\"" + "a".repeat(64) + "\":\"x\"}}",
            "selector.matchLabels: invalid label key \"" + "a".repeat(64) + "\"" + keyHint),
        arguments(
            "{\"matchLabels\":{\"app\":\"" + "v".repeat(64) + "\"}}",
            "selector.matchLabels: invalid label value \""
                + "v".repeat(64)
                + "\" for key"
                + " \"app\""
                + valueHint),
        arguments(
            "{\"matchLabels\":{\"app\":1}}",
            "selector.matchLabels.app must be a string, not a number"),
        arguments("{\"matchLabels\":[]}", "selector.matchLabels must be an object, not an array"),
        arguments(
            "{\"matchExpressions\":{}}",
            "selector.matchExpressions must be an array, not an object"),
        arguments(
            "{\"matchExpressions\":[{\"operator\":\"Exists\"}]}",
            "selector.matchExpressions[0].key must be a string, not null"),
        arguments(
            "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":\"x\"}]}",
            "selector.matchExpressions[0].values must be an array of strings, not a string"),
        arguments("[]", "selector must be an object, not an array"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsInvalidSelectorsSayingWhatIsValid(String selector, String message) {
    assertThatThrownBy(() -> parse(selector))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @Test
  void acceptsQualifiedKeysAndEmptyValues() {
    LabelSelector s =
        LabelSelector.of(
            Map.of("ipam.spidernet.io/app-name", "web", "x", ""),
            List.of(LabelRequirement.of("a.b-c_d", "Exists", null)));
    assertThat(s.toString()).isEqualTo("ipam.spidernet.io/app-name=web,x=,a.b-c_d");
  }

  @Test
  void valueSemantics() {
    assertThat(parse("{\"matchLabels\":{\"a\":\"1\",\"b\":\"2\"}}"))
        .isEqualTo(parse("{\"matchLabels\":{\"b\":\"2\",\"a\":\"1\"}}"))
        .hasSameHashCodeAs(parse("{\"matchLabels\":{\"b\":\"2\",\"a\":\"1\"}}"));
    assertThat(parse(expr("t", "NotIn", "a", "b")).toString()).isEqualTo("t notin (a,b)");
    assertThat(parse(expr("t", "In", "a")).toString()).isEqualTo("t in (a)");
    assertThat(parse(expr("t", "DoesNotExist")).toString()).isEqualTo("!t");
  }

  @Test
  void requirementNeedsAnOperator() {
    assertThatThrownBy(() -> new LabelRequirement("a", null, List.of()))
        .hasMessage(
            "label selector requirement on key \"a\" has no operator: use In, NotIn,"
                + " Exists or DoesNotExist");
  }
}
