// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoPoolWaitTest {

  @Test
  void defaultsAreSpiderpoolsTwoSecondsTimesTwentyFive() {
    AutoPoolWait w = AutoPoolWait.resolve(Map.of());
    assertThat(w).isEqualTo(AutoPoolWait.DEFAULTS);
    assertThat(w.budget()).isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void readsBothVariables() {
    AutoPoolWait w =
        AutoPoolWait.resolve(
            Map.of(AutoPoolWait.ENV_INTERVAL, " 3 ", AutoPoolWait.ENV_RETRIES, "4"));
    assertThat(w.interval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(w.budget()).isEqualTo(Duration.ofSeconds(12));
    assertThat(AutoPoolWait.resolve(Map.of(AutoPoolWait.ENV_RETRIES, "0")).budget()).isZero();
  }

  @Test
  void reportsEveryBadValueAtOnce() {
    assertThatThrownBy(
            () ->
                AutoPoolWait.resolve(
                    Map.of(AutoPoolWait.ENV_INTERVAL, "2s", AutoPoolWait.ENV_RETRIES, "-1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND=2s is not a whole number >= 0: write e.g. 2"
                + " (the default); SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES=-1 is not a whole number >= 0: write e.g. 25"
                + " (the default)");
  }
}
