// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.spiderpool.controller.election.ElectionSettings;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.settings.SettingsReader;
import io.spiderpool.daemon.DaemonSettings;
import io.spiderpool.webhook.WebhookSettings;
import java.util.Map;

/**
 * What a serving process reads once its own settings and conf.yml are known: the GC switches, the
 * election, and the webhooks (null when {@code SPIDERPOOL_WEBHOOK_ENABLED=false}). Read with one
 * reader, so that an operator sees every bad value of the three in one message.
 */
record RoleSettings(GcSettings gc, ElectionSettings election, WebhookSettings webhook) {

  /**
   * Reads the three; {@code standalone} is the {@code controller} command, which campaigns whatever
   * its node and refuses to be told not to campaign.
   */
  static RoleSettings resolve(
      Map<String, String> env, DaemonSettings self, Webhooks.Options webhooks, boolean standalone) {
    return SettingsReader.resolve(
        env,
        r -> {
          GcSettings gc = GcSettings.read(r);
          ElectionSettings election =
              ElectionSettings.read(r, self.leaseIdentity(), self.agentNamespace());
          if (standalone && election != null && !election.enabled()) {
            r.problem(
                ElectionSettings.ENV_ENABLED
                    + "=false is not for the controller command, which exists to"
                    + " hold the controller role: write true or unset it here");
          }
          WebhookSettings webhook = webhooks.read(r);
          return new RoleSettings(
              gc, standalone && election != null ? election.everyNode() : election, webhook);
        });
  }
}
