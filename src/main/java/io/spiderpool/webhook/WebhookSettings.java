// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static io.spiderpool.core.settings.SettingsReader.option;
import static io.spiderpool.core.settings.SettingsReader.variable;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.settings.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the admission webhook server is started. {@link #resolve} takes each value from its
 * command-line option, else from the environment variable Spiderpool reads, else from Spiderpool's
 * default, so the upstream manifests work unchanged.
 *
 * @param bindAddress address to listen on ({@code SPIDERPOOL_WEBHOOK_ADDRESS}, else the Pod's IP
 *     {@code SPIDERPOOL_POD_IP}, else 127.0.0.1); Spiderpool listens on all addresses
 * @param port TCP port ({@code SPIDERPOOL_WEBHOOK_PORT}, 5722); 0 picks a free port (tests)
 * @param certFile PEM certificate chain ({@code --tls-server-cert}, {@code /etc/tls/tls.crt})
 * @param keyFile PEM private key ({@code --tls-server-key}, {@code /etc/tls/tls.key})
 * @param namespace where the claims ConfigMap lives: the daemon's own namespace ({@code
 *     SPIDERPOOL_POD_NAMESPACE}, else {@code kube-system})
 * @param claimTtl the longest an admission's claim delays an overlapping one (docs/webhooks.md)
 * @param certCheckInterval how often a handshake may look for a rotated certificate
 * @param clientCaFile when set ({@code SPIDERPOOL_WEBHOOK_CLIENT_CA}), only clients presenting a
 *     certificate signed by this CA are served: the API server, configured to present one
 */
public record WebhookSettings(
    String bindAddress,
    int port,
    Path certFile,
    Path keyFile,
    String namespace,
    Duration claimTtl,
    Duration certCheckInterval,
    Path clientCaFile) {

  public static final String ENV_WEBHOOK_PORT = "SPIDERPOOL_WEBHOOK_PORT";
  public static final String ENV_POD_NAMESPACE = "SPIDERPOOL_POD_NAMESPACE";
  public static final String ENV_WEBHOOK_ADDRESS = "SPIDERPOOL_WEBHOOK_ADDRESS";
  public static final String ENV_POD_IP = "SPIDERPOOL_POD_IP";
  public static final String ENV_CLIENT_CA = "SPIDERPOOL_WEBHOOK_CLIENT_CA";
  public static final int DEFAULT_PORT = 5722;
  public static final Path DEFAULT_CERT = Path.of("/etc/tls/tls.crt");
  public static final Path DEFAULT_KEY = Path.of("/etc/tls/tls.key");
  public static final String DEFAULT_NAMESPACE = "kube-system";

  /** Within the API server's default webhook timeout (10 s) with room for the wait it causes. */
  public static final Duration DEFAULT_CLAIM_TTL = Duration.ofSeconds(5);

  public static final Duration DEFAULT_CERT_CHECK = Duration.ofSeconds(1);

  public WebhookSettings {
    if (port < 0 || port > 65535) {
      throw new InvalidInputException(
          "webhook port " + port + " is out of range: use 1-65535 (0 picks a free port)");
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new InvalidInputException(
          "webhook bind address is empty: use e.g. 0.0.0.0 or 127.0.0.1");
    }
    if (claimTtl.isNegative() || claimTtl.isZero()) {
      throw new InvalidInputException("claim TTL must be positive, e.g. 30s");
    }
  }

  /**
   * Resolves the settings; null options fall back to the environment, then to the defaults.
   *
   * @throws InvalidInputException naming the option or variable and the valid form
   */
  public static WebhookSettings resolve(
      Map<String, String> env, String certOption, String keyOption, String portOption) {
    return resolve(env, certOption, keyOption, portOption, null, null);
  }

  /**
   * As {@link #resolve(Map, String, String, String)}, with the listen address and the client CA
   * from their options, else {@code SPIDERPOOL_WEBHOOK_ADDRESS} (then {@code SPIDERPOOL_POD_IP},
   * then 127.0.0.1) and {@code SPIDERPOOL_WEBHOOK_CLIENT_CA}.
   */
  public static WebhookSettings resolve(
      Map<String, String> env,
      String certOption,
      String keyOption,
      String portOption,
      String addressOption,
      String clientCaOption) {
    return SettingsReader.resolve(
        env, r -> read(r, certOption, keyOption, portOption, addressOption, clientCaOption));
  }

  /** Reads the settings into {@code r}, which collects the problems; good only after its check. */
  public static WebhookSettings read(
      SettingsReader r,
      String certOption,
      String keyOption,
      String portOption,
      String addressOption,
      String clientCaOption) {
    return new WebhookSettings(
        r.address(
            option("--webhook-address", addressOption, ENV_WEBHOOK_ADDRESS),
            r.address(variable(ENV_POD_IP), "127.0.0.1")),
        r.port(option("--webhook-port", portOption, ENV_WEBHOOK_PORT), DEFAULT_PORT),
        r.path(
            option("--tls-server-cert", certOption, null),
            "a PEM file, e.g. " + DEFAULT_CERT,
            DEFAULT_CERT),
        r.path(
            option("--tls-server-key", keyOption, null),
            "a PEM file, e.g. " + DEFAULT_KEY,
            DEFAULT_KEY),
        r.text(variable(ENV_POD_NAMESPACE), "a namespace", DEFAULT_NAMESPACE),
        DEFAULT_CLAIM_TTL,
        DEFAULT_CERT_CHECK,
        r.path(
            option("--webhook-client-ca", clientCaOption, ENV_CLIENT_CA),
            "a PEM file of CA certificates",
            null));
  }

  public WebhookSettings withBindAddress(String address) {
    return new WebhookSettings(
        address, port, certFile, keyFile, namespace, claimTtl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withPort(int p) {
    return new WebhookSettings(
        bindAddress, p, certFile, keyFile, namespace, claimTtl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withNamespace(String ns) {
    return new WebhookSettings(
        bindAddress, port, certFile, keyFile, ns, claimTtl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withClaimTtl(Duration ttl) {
    return new WebhookSettings(
        bindAddress, port, certFile, keyFile, namespace, ttl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withCertCheckInterval(Duration every) {
    return new WebhookSettings(
        bindAddress, port, certFile, keyFile, namespace, claimTtl, every, clientCaFile);
  }

  public WebhookSettings withClientCa(Path ca) {
    return new WebhookSettings(
        bindAddress, port, certFile, keyFile, namespace, claimTtl, certCheckInterval, ca);
  }
}
