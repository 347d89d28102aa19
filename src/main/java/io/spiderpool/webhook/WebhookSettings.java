// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the admission webhook server is started. {@link #resolve} takes each value from its
 * command-line option, else from the environment variable Spiderpool reads, else from
 * Spiderpool's default, so the upstream manifests work unchanged.
 *
 * @param bindAddress address to listen on ({@code SPIDERPOOL_WEBHOOK_ADDRESS}, else the Pod's IP
 *     {@code SPIDERPOOL_POD_IP}, else 127.0.0.1); Spiderpool listens on all addresses
 * @param port TCP port ({@code SPIDERPOOL_WEBHOOK_PORT}, 5722); 0 picks a free port (tests)
 * @param certFile PEM certificate chain ({@code --tls-server-cert}, {@code /etc/tls/tls.crt})
 * @param keyFile PEM private key ({@code --tls-server-key}, {@code /etc/tls/tls.key})
 * @param namespace where the claims ConfigMap lives: the daemon's own namespace
 *     ({@code SPIDERPOOL_POD_NAMESPACE}, else {@code kube-system})
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
      throw new InvalidInputException("webhook port " + port + " is out of range: use 1-65535 (0 picks a free port)");
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new InvalidInputException("webhook bind address is empty: use e.g. 0.0.0.0 or 127.0.0.1");
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
  public static WebhookSettings resolve(Map<String, String> env, String certOption, String keyOption,
      String portOption) {
    return resolve(env, certOption, keyOption, portOption, null, null);
  }

  /**
   * As {@link #resolve(Map, String, String, String)}, with the listen address and the client CA
   * from their options, else {@code SPIDERPOOL_WEBHOOK_ADDRESS} (then {@code SPIDERPOOL_POD_IP},
   * then 127.0.0.1) and {@code SPIDERPOOL_WEBHOOK_CLIENT_CA}.
   */
  public static WebhookSettings resolve(Map<String, String> env, String certOption, String keyOption,
      String portOption, String addressOption, String clientCaOption) {
    String portText = portOption != null ? portOption : env.get(ENV_WEBHOOK_PORT);
    String portSource = portOption != null ? "--webhook-port" : ENV_WEBHOOK_PORT;
    int port = portText == null || portText.isBlank() ? DEFAULT_PORT : port(portSource, portText.trim());
    Path cert = path("--tls-server-cert", certOption, DEFAULT_CERT);
    Path key = path("--tls-server-key", keyOption, DEFAULT_KEY);
    String ns = env.getOrDefault(ENV_POD_NAMESPACE, "");
    String address = address(addressOption != null ? "--webhook-address" : ENV_WEBHOOK_ADDRESS,
        addressOption != null ? addressOption : env.get(ENV_WEBHOOK_ADDRESS), null);
    if (address == null) {
      address = address(ENV_POD_IP, env.get(ENV_POD_IP), "127.0.0.1");
    }
    String caText = clientCaOption != null ? clientCaOption : env.get(ENV_CLIENT_CA);
    Path clientCa = caText == null || caText.isBlank() ? null : Path.of(caText.trim());
    return new WebhookSettings(address, port, cert, key, ns.isBlank() ? DEFAULT_NAMESPACE : ns.trim(),
        DEFAULT_CLAIM_TTL, DEFAULT_CERT_CHECK, clientCa);
  }

  private static String address(String source, String text, String fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    if (IpAddress.tryParse(text.trim()) == null) {
      throw new InvalidInputException(source + "=" + text + " is not an IP address to listen on: write the"
          + " Pod's IP (the chart sets it from status.podIP), 127.0.0.1, or 0.0.0.0 for all");
    }
    return text.trim();
  }

  private static int port(String source, String text) {
    int p;
    try {
      p = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(source + "='" + text + "' is not a port number: use 1-65535, e.g. 5722");
    }
    if (p < 0 || p > 65535) {
      throw new InvalidInputException(source + "=" + p + " is out of range: use 1-65535, e.g. 5722");
    }
    return p;
  }

  private static Path path(String option, String value, Path fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isBlank()) {
      throw new InvalidInputException(option + " is empty: give a PEM file, e.g. " + fallback);
    }
    return Path.of(value.trim());
  }

  public WebhookSettings withBindAddress(String address) {
    return new WebhookSettings(address, port, certFile, keyFile, namespace, claimTtl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withPort(int p) {
    return new WebhookSettings(bindAddress, p, certFile, keyFile, namespace, claimTtl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withNamespace(String ns) {
    return new WebhookSettings(bindAddress, port, certFile, keyFile, ns, claimTtl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withClaimTtl(Duration ttl) {
    return new WebhookSettings(bindAddress, port, certFile, keyFile, namespace, ttl, certCheckInterval, clientCaFile);
  }

  public WebhookSettings withCertCheckInterval(Duration every) {
    return new WebhookSettings(bindAddress, port, certFile, keyFile, namespace, claimTtl, every, clientCaFile);
  }

  public WebhookSettings withClientCa(Path ca) {
    return new WebhookSettings(bindAddress, port, certFile, keyFile, namespace, claimTtl, certCheckInterval, ca);
  }
}
