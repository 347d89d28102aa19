// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static io.spiderpool.core.settings.SettingsReader.variable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.settings.SettingsReader;
import io.spiderpool.webhook.WebhookServer;
import io.spiderpool.webhook.WebhookSettings;
import java.io.UncheckedIOException;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/** Whether and how a process serves the admission webhooks. */
final class Webhooks {
  static final String ENV_ENABLED = "SPIDERPOOL_WEBHOOK_ENABLED";
  private static final Logger LOG = Logger.getLogger(Webhooks.class.getName());

  private Webhooks() {}

  /** The webhook options every serving command takes (Spiderpool's controller flags). */
  static final class Options {
    @Option(
        names = "--tls-server-cert",
        paramLabel = "FILE",
        description =
            "webhook serving certificate, PEM (default /etc/tls/tls.crt; rotated files are reloaded)")
    String tlsCert;

    @Option(
        names = "--tls-server-key",
        paramLabel = "FILE",
        description = "its private key, PEM (default /etc/tls/tls.key)")
    String tlsKey;

    @Option(
        names = "--webhook-port",
        description = "admission webhook port (env SPIDERPOOL_WEBHOOK_PORT; 5722)")
    String webhookPort;

    @Option(
        names = "--webhook-address",
        paramLabel = "IP",
        description =
            "admission webhook address"
                + " (env SPIDERPOOL_WEBHOOK_ADDRESS; default SPIDERPOOL_POD_IP, else 127.0.0.1)")
    String webhookAddress;

    @Option(
        names = "--webhook-client-ca",
        paramLabel = "FILE",
        description =
            "serve only clients with a"
                + " certificate signed by this CA, i.e. the API server (env SPIDERPOOL_WEBHOOK_CLIENT_CA)")
    String webhookClientCa;

    /**
     * Reads the settings into {@code r}; null when {@code SPIDERPOOL_WEBHOOK_ENABLED=false}, and
     * then the server's own settings are not looked at.
     */
    WebhookSettings read(SettingsReader r) {
      return r.bool(variable(ENV_ENABLED), true)
          ? WebhookSettings.read(r, tlsCert, tlsKey, webhookPort, webhookAddress, webhookClientCa)
          : null;
    }
  }

  /** Starts the server, or returns null when {@code settings} is null (webhooks switched off). */
  static WebhookServer start(
      WebhookSettings settings, KubernetesClient client, ClusterConfig config) {
    if (settings == null) {
      LOG.info("admission webhooks are not served here (" + ENV_ENABLED + "=false)");
      return null;
    }
    try {
      WebhookServer server = WebhookServer.start(settings, client, config);
      LOG.info("admission webhooks on https://" + settings.bindAddress() + ":" + server.port());
      return server;
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(
          e.getMessage()
              + " (mount the webhook certificate, or set "
              + ENV_ENABLED
              + "=false where another process serves the webhooks)",
          e);
    }
  }
}
