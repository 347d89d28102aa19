// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.settings;

import static io.spiderpool.core.settings.SettingsReader.option;
import static io.spiderpool.core.settings.SettingsReader.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.pool.SelectorText;
import io.spiderpool.core.settings.SettingsReader.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type the reader knows, every way a value can be wrong, and precedence. */
class SettingsReaderTest {
  private static final String PORT = "a number from 1 to 65535 (0 picks a free one)";
  private static final String BOOL =
      "true or false (also accepted: 1, t, T, TRUE, True, 0, f, F, FALSE, False)";
  private static final String ADDRESS =
      "one of this host's addresses, 127.0.0.1, or 0.0.0.0 for all";
  private static final String LEVELS = "one of debug, info, warn";

  /** One typed read of a setting, with its default. */
  private interface Read extends BiFunction<SettingsReader, Setting, Object> {}

  static final Read PORT_5710 = (r, s) -> r.port(s, 5710);
  static final Read COUNT_MIN_1 = (r, s) -> r.wholeNumber(s, 1, 5000);
  static final Read RETRIES_MIN_0 = (r, s) -> r.wholeNumber(s, 0, 5);
  static final Read BOOL_TRUE = (r, s) -> r.bool(s, true);
  static final Read DELAY = (r, s) -> r.duration(s, Duration.ZERO);
  static final Read INTERVAL = (r, s) -> r.positiveDuration(s, Duration.ofSeconds(600));
  static final Read ADDRESS_LOOPBACK = (r, s) -> r.address(s, "127.0.0.1");
  static final Read LEVEL =
      (r, s) -> r.oneOf(s, "a log level", List.of("debug", "info", "warn"), "info");
  static final Read TEXT = (r, s) -> r.text(s, "a name", "dflt");
  static final Read PATH =
      (r, s) -> r.path(s, "a PEM file, e.g. /etc/tls/tls.crt", Path.of("/etc/tls/tls.crt"));
  static final Read SELECTOR =
      (r, s) ->
          r.parsed(s, "a label selector", SelectorText::parse, null) == null ? "unset" : "selector";

  static Stream<Arguments> goodValues() {
    return Stream.of(
        arguments("port", PORT_5710, "5722", 5722),
        arguments("port", PORT_5710, "0", 0),
        arguments("port", PORT_5710, "65535", 65535),
        arguments("port", PORT_5710, " 15710 ", 15710),
        arguments("whole number", COUNT_MIN_1, "1", 1),
        arguments("whole number", COUNT_MIN_1, "100", 100),
        arguments("whole number", RETRIES_MIN_0, "0", 0),
        arguments("boolean", BOOL_TRUE, "1", true),
        arguments("boolean", BOOL_TRUE, "t", true),
        arguments("boolean", BOOL_TRUE, "T", true),
        arguments("boolean", BOOL_TRUE, "TRUE", true),
        arguments("boolean", BOOL_TRUE, "true", true),
        arguments("boolean", BOOL_TRUE, "True", true),
        arguments("boolean", BOOL_TRUE, "0", false),
        arguments("boolean", BOOL_TRUE, "f", false),
        arguments("boolean", BOOL_TRUE, "F", false),
        arguments("boolean", BOOL_TRUE, "FALSE", false),
        arguments("boolean", BOOL_TRUE, "false", false),
        arguments("boolean", BOOL_TRUE, " False ", false),
        arguments("duration", DELAY, "0", Duration.ZERO),
        arguments("duration", DELAY, "5s", Duration.ofSeconds(5)),
        arguments("duration", DELAY, "600", Duration.ofSeconds(600)),
        arguments("duration", DELAY, "1h30m", Duration.ofMinutes(90)),
        arguments("duration", DELAY, "1.5s", Duration.ofMillis(1500)),
        arguments("positive duration", INTERVAL, "300ms", Duration.ofMillis(300)),
        arguments("positive duration", INTERVAL, "10m", Duration.ofMinutes(10)),
        arguments("address", ADDRESS_LOOPBACK, "10.6.0.4", "10.6.0.4"),
        arguments("address", ADDRESS_LOOPBACK, "0.0.0.0", "0.0.0.0"),
        arguments("address", ADDRESS_LOOPBACK, "fd00::4", "fd00::4"),
        arguments("address", ADDRESS_LOOPBACK, "::", "::"),
        arguments("one of", LEVEL, "DEBUG", "debug"),
        arguments("one of", LEVEL, "warn", "warn"),
        arguments("text", TEXT, " node-1 ", "node-1"),
        arguments("path", PATH, "/x/tls.crt", Path.of("/x/tls.crt")),
        arguments("parsed", SELECTOR, "zone in (a,b),!edge", "selector"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("goodValues")
  void goodValuesAreRead(String type, Read read, String value, Object expected) {
    SettingsReader fromVariable = new SettingsReader(Map.of("X", value));
    assertThat(read.apply(fromVariable, variable("X"))).isEqualTo(expected);
    fromVariable.check();
    SettingsReader fromOption = new SettingsReader(Map.of());
    assertThat(read.apply(fromOption, option("--x", value, "X"))).isEqualTo(expected);
    fromOption.check();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        arguments(PORT_5710, "http", "X=http is not a TCP port: write " + PORT),
        arguments(PORT_5710, "-1", "X=-1 is not a TCP port: write " + PORT),
        arguments(PORT_5710, "65536", "X=65536 is not a TCP port: write " + PORT),
        arguments(PORT_5710, "5710.0", "X=5710.0 is not a TCP port: write " + PORT),
        arguments(
            COUNT_MIN_1, "0", "X=0 is not a whole number >= 1: write e.g. 5000 (the default)"),
        arguments(
            COUNT_MIN_1,
            "lots",
            "X=lots is not a whole number >= 1: write e.g. 5000 (the default)"),
        arguments(
            COUNT_MIN_1,
            "99999999999",
            "X=99999999999 is not a whole number >= 1: write e.g. 5000 (the default)"),
        arguments(
            RETRIES_MIN_0, "-1", "X=-1 is not a whole number >= 0: write e.g. 5 (the default)"),
        arguments(BOOL_TRUE, "yes", "X=yes is not a boolean: write " + BOOL),
        arguments(BOOL_TRUE, "on", "X=on is not a boolean: write " + BOOL),
        arguments(BOOL_TRUE, "tRUE", "X=tRUE is not a boolean: write " + BOOL),
        arguments(BOOL_TRUE, "2", "X=2 is not a boolean: write " + BOOL),
        arguments(
            DELAY,
            "-5s",
            "X=-5s is not a duration >= 0: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            DELAY,
            "5 s",
            "X=5 s is not a duration: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            DELAY,
            "5d",
            "X=5d is not a duration: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            DELAY,
            "s",
            "X=s is not a duration: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            DELAY,
            "1m-2s",
            "X=1m-2s is not a duration: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            DELAY,
            "ten",
            "X=ten is not a duration: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            DELAY,
            "9999999999999h",
            "X=9999999999999h is not a duration: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            INTERVAL,
            "0",
            "X=0 is not a duration > 0: write seconds (600) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            INTERVAL,
            "0s",
            "X=0s is not a duration > 0: write seconds (600) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            INTERVAL,
            "-1m",
            "X=-1m is not a duration > 0: write seconds (600) or a Go duration (15s, 500ms, 2m)"),
        arguments(
            ADDRESS_LOOPBACK,
            "localhost",
            "X=localhost is not an IP address to listen on: write " + ADDRESS),
        arguments(
            ADDRESS_LOOPBACK,
            "10.0.0.300",
            "X=10.0.0.300 is not an IP address to listen on: write " + ADDRESS),
        arguments(
            ADDRESS_LOOPBACK,
            "10.0.0.0/8",
            "X=10.0.0.0/8 is not an IP address to listen on: write " + ADDRESS),
        arguments(LEVEL, "verbose", "X=verbose is not a log level: write " + LEVELS),
        arguments(SELECTOR, "zone in a", "X=zone in a is not a label selector"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badValues")
  void aBadValueIsNamedByItsSourceWithTheFixAndTheDefaultIsKeptMeanwhile(
      Read read, String value, String message) {
    Object dflt = read.apply(new SettingsReader(Map.of()), variable("X"));

    SettingsReader fromVariable = new SettingsReader(Map.of("X", value));
    assertThat(read.apply(fromVariable, variable("X")))
        .as("reading goes on with the default")
        .isEqualTo(dflt);
    assertThatThrownBy(fromVariable::check)
        .isInstanceOf(InvalidInputException.class)
        .message()
        .startsWith(message)
        .doesNotContain(";");

    SettingsReader fromOption = new SettingsReader(Map.of("X", "unused"));
    read.apply(fromOption, option("--x", value, "X"));
    assertThatThrownBy(fromOption::check)
        .isInstanceOf(InvalidInputException.class)
        .message()
        .startsWith(message.replaceFirst("^X=", "--x="));
  }

  static Stream<Arguments> everyReader() {
    return Stream.of(
        arguments(PORT_5710, "--x is empty: write " + PORT),
        arguments(COUNT_MIN_1, "--x is empty: write e.g. 5000 (the default)"),
        arguments(BOOL_TRUE, "--x is empty: write " + BOOL),
        arguments(DELAY, "--x is empty: write seconds (0) or a Go duration (15s, 500ms, 2m)"),
        arguments(INTERVAL, "--x is empty: write seconds (600) or a Go duration (15s, 500ms, 2m)"),
        arguments(ADDRESS_LOOPBACK, "--x is empty: write " + ADDRESS),
        arguments(LEVEL, "--x is empty: write " + LEVELS),
        arguments(TEXT, "--x is empty: write a name"),
        arguments(PATH, "--x is empty: write a PEM file, e.g. /etc/tls/tls.crt"),
        arguments(SELECTOR, "--x is empty: write a label selector"));
  }

  @ParameterizedTest
  @MethodSource("everyReader")
  void aBlankVariableIsUnsetButAnEmptyOptionIsATypingMistake(Read read, String emptyOption) {
    Object dflt = read.apply(new SettingsReader(Map.of()), variable("X"));
    for (String blank : new String[] {"", " ", "\t"}) {
      SettingsReader r = new SettingsReader(Map.of("X", blank));
      assertThat(read.apply(r, variable("X"))).as("'%s'", blank).isEqualTo(dflt);
      r.check();

      SettingsReader o = new SettingsReader(Map.of());
      assertThat(read.apply(o, option("--x", blank, "X"))).isEqualTo(dflt);
      assertThatThrownBy(o::check)
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(emptyOption);
    }
  }

  @Test
  void theOptionWinsOverTheVariableWhichWinsOverTheDefault() {
    Map<String, String> env = Map.of("SPIDERPOOL_HEALTH_PORT", "15710");
    assertThat(
            new SettingsReader(env)
                .port(option("--health-port", "25710", "SPIDERPOOL_HEALTH_PORT"), 5710))
        .isEqualTo(25710);
    assertThat(
            new SettingsReader(env)
                .port(option("--health-port", null, "SPIDERPOOL_HEALTH_PORT"), 5710))
        .isEqualTo(15710);
    assertThat(
            new SettingsReader(Map.of())
                .port(option("--health-port", null, "SPIDERPOOL_HEALTH_PORT"), 5710))
        .isEqualTo(5710);
    assertThat(new SettingsReader(env).port(option("--health-port", null, null), 5710))
        .as("an option without a variable does not read one")
        .isEqualTo(5710);
  }

  @Test
  void aGoodOptionHidesABadVariableAndABadOptionIsNamedAsTheOption() {
    Map<String, String> env = Map.of("SPIDERPOOL_HEALTH_PORT", "http");
    SettingsReader good = new SettingsReader(env);
    assertThat(good.port(option("--health-port", "1", "SPIDERPOOL_HEALTH_PORT"), 5710))
        .isEqualTo(1);
    good.check();

    SettingsReader bad = new SettingsReader(env);
    bad.port(option("--health-port", "-1", "SPIDERPOOL_HEALTH_PORT"), 5710);
    assertThatThrownBy(bad::check).hasMessage("--health-port=-1 is not a TCP port: write " + PORT);
  }

  @Test
  void everyProblemIsReportedTogetherInTheOrderRead() {
    SettingsReader r = new SettingsReader(Map.of("A", "x", "B", "maybe", "C", "-1s"));
    r.port(variable("A"), 1);
    r.bool(variable("B"), true);
    r.bool(variable("UNSET"), true);
    r.duration(variable("C"), Duration.ZERO);
    r.required(
        option("--node-name", null, "SPIDERPOOL_NODE_NAME"),
        "the node name",
        "this node's name",
        " (from spec.nodeName)");
    r.problem("Z=1 is not allowed here: unset it");
    assertThatThrownBy(r::check)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "A=x is not a TCP port: write "
                + PORT
                + "; B=maybe is not a boolean: write "
                + BOOL
                + "; C=-1s is not a duration >= 0: write seconds (0) or a Go duration (15s, 500ms, 2m)"
                + "; the node name is required: pass --node-name or set SPIDERPOOL_NODE_NAME (from spec.nodeName)"
                + "; Z=1 is not allowed here: unset it");
  }

  @Test
  void aRequiredSettingIsReadOrNamedOnce() {
    Setting node = option("--node-name", null, "SPIDERPOOL_NODE_NAME");
    SettingsReader given = new SettingsReader(Map.of("SPIDERPOOL_NODE_NAME", " n1 "));
    assertThat(given.required(node, "the node name", "this node's name", "")).isEqualTo("n1");
    given.check();

    SettingsReader blank = new SettingsReader(Map.of("SPIDERPOOL_NODE_NAME", " "));
    assertThat(blank.required(node, "the node name", "this node's name", "")).isNull();
    assertThatThrownBy(blank::check)
        .hasMessage("the node name is required: pass --node-name or set SPIDERPOOL_NODE_NAME");

    SettingsReader empty = new SettingsReader(Map.of());
    empty.required(
        option("--node-name", "", "SPIDERPOOL_NODE_NAME"), "the node name", "this node's name", "");
    assertThatThrownBy(empty::check)
        .as("one problem, not two")
        .hasMessage("--node-name is empty: write this node's name");
  }

  @Test
  void aParserSeesTheSourceAsWritten() {
    SettingsReader r =
        new SettingsReader(Map.of("SPIDERPOOL_CONTROLLER_NODE_SELECTOR", "zone in a"));
    r.parsed(
        variable("SPIDERPOOL_CONTROLLER_NODE_SELECTOR"), "a selector", SelectorText::parse, null);
    assertThatThrownBy(r::check)
        .hasMessageStartingWith(
            "SPIDERPOOL_CONTROLLER_NODE_SELECTOR=zone in a is not a label selector");
  }

  @Test
  void crossRulesAreJudgedOnlyOnGoodValuesAndTheirRefusalIsCollected() {
    SettingsReader good = new SettingsReader(Map.of());
    assertThat(good.build(() -> "built")).isEqualTo("built");
    good.check();

    SettingsReader refused = new SettingsReader(Map.of("A", "1"));
    refused.port(variable("A"), 5);
    assertThat(
            refused.<String>build(
                () -> {
                  throw new InvalidInputException("A (1) must be longer than B (2)");
                }))
        .isNull();
    assertThatThrownBy(refused::check).hasMessage("A (1) must be longer than B (2)");

    SettingsReader bad = new SettingsReader(Map.of("A", "x"));
    bad.port(variable("A"), 5);
    Object built =
        bad.build(
            () -> {
              throw new AssertionError("a rule judged on a substituted default");
            });
    assertThat(built).isNull();
    assertThatThrownBy(bad::check).hasMessage("A=x is not a TCP port: write " + PORT);
  }

  @Test
  void resolveChecksWhatItRead() {
    int port = SettingsReader.resolve(Map.of("A", "7"), r -> r.port(variable("A"), 5));
    assertThat(port).isEqualTo(7);
    assertThatThrownBy(
            () -> SettingsReader.resolve(Map.of("A", "x"), r -> r.port(variable("A"), 5)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("A=x is not a TCP port");
  }
}
