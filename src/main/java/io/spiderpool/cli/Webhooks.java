// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.webhook.WebhookServer;
import io.spiderpool.webhook.WebhookSettings;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.logging.Logger;

/** Whether and how a process serves the admission webhooks. */
final class Webhooks {
  static final String ENV_ENABLED = "SPIDERPOOL_WEBHOOK_ENABLED";
  private static final Logger LOG = Logger.getLogger(Webhooks.class.getName());

  private Webhooks() {}

  /** {@code SPIDERPOOL_WEBHOOK_ENABLED}, default true: every daemon serves the webhooks. */
  static boolean enabled(Map<String, String> env) {
    String v = env.get(ENV_ENABLED);
    if (v == null || v.isBlank()) {
      return true;
    }
    Boolean b = GoBool.tryParse(v.trim());
    if (b == null) {
      throw new InvalidInputException(ENV_ENABLED + "=" + v + " is not a boolean: write true or false");
    }
    return b;
  }

  /** Starts the server, or returns null when {@code settings} is null (webhooks switched off). */
  static WebhookServer start(WebhookSettings settings, KubernetesClient client, ClusterConfig config) {
    if (settings == null) {
      LOG.info("admission webhooks are not served here (" + ENV_ENABLED + "=false)");
      return null;
    }
    try {
      WebhookServer server = WebhookServer.start(settings, client, config);
      LOG.info("admission webhooks on https://" + settings.bindAddress() + ":" + server.port());
      return server;
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(e.getMessage() + " (mount the webhook certificate, or set "
          + ENV_ENABLED + "=false where another process serves the webhooks)", e);
    }
  }
}
