// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void plainIntegersAreSecondsAndGoUnitsAddUp() {
    assertThat(GoDuration.parse("15")).isEqualTo(Duration.ofSeconds(15));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse(" 2m ")).isEqualTo(Duration.ofMinutes(2));
    assertThat(GoDuration.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
  }

  @Test
  void anythingElseIsRefused() {
    for (String bad : new String[] {"", "5 s", "5d", "s", "1m-2s", "ten"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Use seconds (600) or a Go duration such as 5s, 10m, 1h30m");
    }
  }
}
