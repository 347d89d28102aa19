// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * A daemon that authenticates with a client certificate (a kubeconfig without a token, as on the
 * test control plane and on nodes given a certificate kubeconfig) reads no kubeconfig per request.
 *
 * <p>Why: fabric8's token interceptor looks for a fresh token once a minute, but it restarts that
 * minute only when it finds one. Without a token it never does, so from the client's second minute
 * on every request re-read and re-parsed the kubeconfig (YAML, certificates, the whole
 * auto-configuration) before being sent — 20–25 % of the daemons' CPU during the throughput bench
 * (docs/performance.md, "The throughput ceiling"). A certificate config can gain nothing from that
 * re-read: the TLS context holding the certificate is built once, and only a token would be taken
 * from the new read. So such a config gets a token provider that says "no token", which the
 * interceptor asks instead of re-reading. A config with a token (the in-cluster service account,
 * whose token is rotated and must be re-read), an auth provider, an exec plugin's token or a user
 * name is left alone.
 */
@Singleton
public class CertificateAuth implements KubernetesConfigCustomizer {
  /** The provider of a client that authenticates without a token. */
  static final OAuthTokenProvider NO_TOKEN = () -> null;

  @Override
  public void customize(Config config) {
    apply(config);
  }

  /** Whether {@code config} authenticates by certificate only; if so, marks it (see above). */
  public static boolean apply(Config config) {
    boolean certificate =
        present(config.getClientCertData()) || present(config.getClientCertFile());
    boolean other =
        config.getOauthTokenProvider() != null
            || present(config.getOauthToken())
            || present(config.getAutoOAuthToken())
            || config.getAuthProvider() != null
            || present(config.getUsername());
    if (!certificate || other) {
      return false;
    }
    config.setOauthTokenProvider(NO_TOKEN);
    return true;
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}
