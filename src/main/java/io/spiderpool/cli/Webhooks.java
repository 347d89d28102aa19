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
import picocli.CommandLine.Option;

/** Whether and how a process serves the admission webhooks. */
final class Webhooks {
  static final String ENV_ENABLED = "SPIDERPOOL_WEBHOOK_ENABLED";
  private static final Logger LOG = Logger.getLogger(Webhooks.class.getName());

  private Webhooks() {}

  /** The webhook options every serving command takes (Spiderpool's controller flags). */
  static final class Options {
    @Option(names = "--tls-server-cert", paramLabel = "FILE",
        description = "webhook serving certificate, PEM (default /etc/tls/tls.crt; rotated files are reloaded)")
    String tlsCert;
    @Option(names = "--tls-server-key", paramLabel = "FILE", description = "its private key, PEM (default /etc/tls/tls.key)")
    String tlsKey;
    @Option(names = "--webhook-port", description = "admission webhook port (env SPIDERPOOL_WEBHOOK_PORT; 5722)")
    String webhookPort;
    @Option(names = "--webhook-address", paramLabel = "IP", description = "admission webhook address"
        + " (env SPIDERPOOL_WEBHOOK_ADDRESS; default SPIDERPOOL_POD_IP, else 127.0.0.1)")
    String webhookAddress;
    @Option(names = "--webhook-client-ca", paramLabel = "FILE", description = "serve only clients with a"
        + " certificate signed by this CA, i.e. the API server (env SPIDERPOOL_WEBHOOK_CLIENT_CA)")
    String webhookClientCa;

    /** The settings, or null when {@code SPIDERPOOL_WEBHOOK_ENABLED=false}. */
    WebhookSettings settings(Map<String, String> env) {
      return enabled(env)
          ? WebhookSettings.resolve(env, tlsCert, tlsKey, webhookPort, webhookAddress, webhookClientCa) : null;
    }
  }

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
