// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void plainIntegersAreSecondsAndGoUnitsAddUp() {
    assertThat(GoDuration.parse("15", "X")).isEqualTo(Duration.ofSeconds(15));
    assertThat(GoDuration.parse("500ms", "X")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1h30m", "X")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5s", "X")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse(" 2m ", "X")).isEqualTo(Duration.ofMinutes(2));
    assertThat(GoDuration.parse("10us", "X")).isEqualTo(Duration.ofNanos(10_000));
  }

  @Test
  void anythingElseIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> GoDuration.parse("-5s", "SPIDERPOOL_LEADER_DURATION"))
        .hasMessage("SPIDERPOOL_LEADER_DURATION=-5s must not be negative");
    for (String bad : new String[] {"", "5 s", "5d", "s", "1m-2s", "ten"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad, "SPIDERPOOL_GC_X"))
          .as(bad).isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("SPIDERPOOL_GC_X=" + bad + " is not a duration");
    }
  }
}
