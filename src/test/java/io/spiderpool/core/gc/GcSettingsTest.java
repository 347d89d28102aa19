// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcSettingsTest {

  @Test
  void emptyEnvironmentGivesSpiderpoolsDefaults() {
    GcSettings s = GcSettings.resolve(Map.of());
    assertThat(s).isEqualTo(GcSettings.DEFAULTS);
    assertThat(s.enabled()).isTrue();
    assertThat(s.terminatingOnReadyNode()).isTrue();
    assertThat(s.terminatingOnNotReadyNode()).isTrue();
    assertThat(s.runningPodOnEmptyPodIps()).isFalse();
    assertThat(s.additionalGraceDelay()).isZero();
    assertThat(s.fullScanInterval()).isEqualTo(Duration.ofSeconds(600));
    assertThat(s.workers()).isEqualTo(3);
    assertThat(s.maxRetries()).isEqualTo(5);
  }

  @Test
  void readsEverySwitch() {
    GcSettings s =
        GcSettings.resolve(
            Map.of(
                "SPIDERPOOL_GC_IP_ENABLED", "false",
                "SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED", "0",
                "SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED", "F",
                "SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS", "True",
                "SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY", "5s",
                "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "10m",
                "SPIDERPOOL_GC_IP_WORKER_NUM", "7",
                "SPIDERPOOL_GC_PODENTRY_MAX_RETRIES", "0",
                "SPIDERPOOL_GC_CHANNEL_BUFFER", "whatever: not read"));
    assertThat(s)
        .isEqualTo(
            new GcSettings(
                false, false, false, true, Duration.ofSeconds(5), Duration.ofMinutes(10), 7, 0));
  }

  @Test
  void blankValuesTakeTheDefault() {
    assertThat(
            GcSettings.resolve(
                Map.of(
                    "SPIDERPOOL_GC_IP_ENABLED",
                    " ",
                    "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION",
                    "")))
        .isEqualTo(GcSettings.DEFAULTS);
  }

  @Test
  void reportsEveryBadValueTogetherWithTheFix() {
    assertThatThrownBy(
            () ->
                GcSettings.resolve(
                    Map.of(
                        "SPIDERPOOL_GC_IP_ENABLED", "yes",
                        "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "0",
                        "SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY", "-5s",
                        "SPIDERPOOL_GC_IP_WORKER_NUM", "0",
                        "SPIDERPOOL_GC_PODENTRY_MAX_RETRIES", "lots")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("SPIDERPOOL_GC_IP_ENABLED=yes is not a boolean: write true or false")
        .hasMessageContaining("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION=0 is not a duration > 0")
        .hasMessageContaining("SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY=-5s is not a duration >= 0")
        .hasMessageContaining("SPIDERPOOL_GC_IP_WORKER_NUM=0 is not a whole number >= 1")
        .hasMessageContaining("SPIDERPOOL_GC_PODENTRY_MAX_RETRIES=lots is not a whole number >= 0");
    assertThatThrownBy(
            () ->
                GcSettings.resolve(
                    Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "ten minutes")))
        .hasMessageContaining(
            "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION=ten minutes is not a duration: write seconds (600)");
  }
}
