// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.daemon.DaemonOptions;
import io.spiderpool.daemon.DaemonSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GC, election and webhook settings of one start: read together, reported together. */
class RoleSettingsTest {
  static final DaemonSettings AGENT =
      DaemonSettings.resolve(
          DaemonOptions.NONE,
          Map.of("SPIDERPOOL_NODE_NAME", "n1", "SPIDERPOOL_POD_NAME", "agent-1"));

  @Test
  void defaults() {
    RoleSettings r = RoleSettings.resolve(Map.of(), AGENT, new Webhooks.Options(), false);
    assertThat(r.gc()).isEqualTo(GcSettings.DEFAULTS);
    assertThat(r.election().identity()).isEqualTo("agent-1");
    assertThat(r.election().leaseNamespace()).isEqualTo("kube-system");
    assertThat(r.election().nodeSelector().matches(Map.of()))
        .as("control-plane nodes only")
        .isFalse();
    assertThat(r.webhook().port()).isEqualTo(5722);
  }

  @Test
  void badValuesOfAllThreeAreReportedInOneMessage() {
    Webhooks.Options options = new Webhooks.Options();
    options.webhookAddress = "node1";
    assertThatThrownBy(
            () ->
                RoleSettings.resolve(
                    Map.of(
                        "SPIDERPOOL_GC_IP_WORKER_NUM",
                        "0",
                        "SPIDERPOOL_LEADER_DURATION",
                        "soon",
                        "SPIDERPOOL_WEBHOOK_PORT",
                        "web"),
                    AGENT,
                    options,
                    false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("SPIDERPOOL_GC_IP_WORKER_NUM=0 is not a whole number >= 1")
        .hasMessageContaining("SPIDERPOOL_LEADER_DURATION=soon is not a duration")
        .hasMessageContaining("--webhook-address=node1 is not an IP address to listen on")
        .hasMessageContaining("SPIDERPOOL_WEBHOOK_PORT=web is not a TCP port");
  }

  @Test
  void switchedOffWebhooksAreNotReadAndABadSwitchIsNamed() {
    RoleSettings off =
        RoleSettings.resolve(
            Map.of("SPIDERPOOL_WEBHOOK_ENABLED", "false", "SPIDERPOOL_WEBHOOK_PORT", "web"),
            AGENT,
            new Webhooks.Options(),
            false);
    assertThat(off.webhook()).isNull();
    assertThatThrownBy(
            () ->
                RoleSettings.resolve(
                    Map.of("SPIDERPOOL_WEBHOOK_ENABLED", "yes"),
                    AGENT,
                    new Webhooks.Options(),
                    false))
        .hasMessageStartingWith(
            "SPIDERPOOL_WEBHOOK_ENABLED=yes is not a boolean: write true or false");
  }

  @Test
  void theControllerCommandCampaignsEverywhereAndCannotBeToldNotTo() {
    RoleSettings controller = RoleSettings.resolve(Map.of(), AGENT, new Webhooks.Options(), true);
    assertThat(controller.election().nodeSelector().matches(Map.of())).isTrue();

    Map<String, String> off = Map.of("SPIDERPOOL_CONTROLLER_ROLE_ENABLED", "false");
    assertThat(RoleSettings.resolve(off, AGENT, new Webhooks.Options(), false).election().enabled())
        .as("a daemon may stay out of the election")
        .isFalse();
    assertThatThrownBy(() -> RoleSettings.resolve(off, AGENT, new Webhooks.Options(), true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "SPIDERPOOL_CONTROLLER_ROLE_ENABLED=false is not for the controller command, which exists"
                + " to hold the controller role: write true or unset it here");
  }
}
