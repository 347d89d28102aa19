// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElectionSettingsTest {

  @Test
  void spiderpoolsDefaults() {
    ElectionSettings s = ElectionSettings.resolve(Map.of(), "spiderpool-agent-x", "kube-system");
    assertThat(s.enabled()).isTrue();
    assertThat(s.leaseName()).isEqualTo("spiderpool-controller-leases");
    assertThat(s.leaseNamespace()).isEqualTo("kube-system");
    assertThat(s.identity()).isEqualTo("spiderpool-agent-x");
    assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.retryGap()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.nodeSelector().matches(Map.of("node-role.kubernetes.io/control-plane", "")))
        .isTrue();
    assertThat(s.nodeSelector().matches(Map.of("zone", "a"))).isFalse();
    assertThat(s.everyNode().nodeSelector().matches(Map.of())).isTrue();
  }

  @Test
  void spiderpoolsIntegerSecondsAndGoDurationsBothWork() {
    ElectionSettings s =
        ElectionSettings.resolve(
            Map.of(
                "SPIDERPOOL_LEADER_DURATION",
                "30",
                "SPIDERPOOL_LEADER_RENEW_DEADLINE",
                "20s",
                "SPIDERPOOL_LEADER_RETRY_PERIOD",
                "1500ms",
                "SPIDERPOOL_CONTROLLER_NODE_SELECTOR",
                "zone in (a,b),!edge",
                "SPIDERPOOL_CONTROLLER_ROLE_ENABLED",
                "false"),
            "p",
            "ns");
    assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.retryPeriod()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.enabled()).isFalse();
    assertThat(s.nodeSelector().matches(Map.of("zone", "b"))).isTrue();
    assertThat(s.nodeSelector().matches(Map.of("zone", "b", "edge", "1"))).isFalse();
    assertThat(s.nodeSelector().matches(Map.of("zone", "c"))).isFalse();
  }

  @Test
  void everyBadValueIsNamedInOneError() {
    assertThatThrownBy(
            () ->
                ElectionSettings.resolve(
                    Map.of(
                        "SPIDERPOOL_LEADER_DURATION",
                        "soon",
                        "SPIDERPOOL_CONTROLLER_ROLE_ENABLED",
                        "yes",
                        "SPIDERPOOL_CONTROLLER_NODE_SELECTOR",
                        "zone in a"),
                    "p",
                    "ns"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "SPIDERPOOL_LEADER_DURATION=soon is not a duration: write seconds (15) or a Go duration")
        .hasMessageContaining("SPIDERPOOL_CONTROLLER_ROLE_ENABLED=yes is not a boolean")
        .hasMessageContaining(
            "SPIDERPOOL_CONTROLLER_NODE_SELECTOR=zone in a is not a label selector");
  }

  @Test
  void aRenewDeadlineThatIsNotShorterThanTheLeaseIsRefused() {
    assertThatThrownBy(
            () ->
                ElectionSettings.resolve(
                    Map.of(
                        "SPIDERPOOL_LEADER_DURATION",
                        "10",
                        "SPIDERPOOL_LEADER_RENEW_DEADLINE",
                        "10"),
                    "p",
                    "ns"))
        .hasMessageContaining("must be longer than SPIDERPOOL_LEADER_RENEW_DEADLINE");
    assertThatThrownBy(
            () ->
                ElectionSettings.resolve(Map.of("SPIDERPOOL_LEADER_RETRY_PERIOD", "9s"), "p", "ns"))
        .hasMessageContaining("must be longer than 1.2 × SPIDERPOOL_LEADER_RETRY_PERIOD");
  }
}
