// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "15     | 15000000000",
        "600    | 600000000000",
        "0      | 0",
        "5s     | 5000000000",
        "500ms  | 500000000",
        "300ms  | 300000000",
        "10m    | 600000000000",
        "' 2m ' | 120000000000",
        "1h30m  | 5400000000000",
        "1.5s   | 1500000000",
        "10us   | 10000",
        "2us    | 2000",
        "-1s    | -1000000000",
      })
  void plainIntegersAreSecondsAndGoUnitsAddUp(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(
      strings = {"", "s", "5 s", "5x", "5d", "1d", "1h 30m", "10 m", "m5", "5s5", "1m-2s", "ten"})
  void anythingElseIsRefused(String bad) {
    assertThatThrownBy(() -> GoDuration.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Use seconds (600) or a Go duration such as 5s, 10m, 1h30m");
  }
}
