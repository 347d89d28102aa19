// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * How often the daemon's Kubernetes client repeats a request that got no answer (connection refused
 * or reset): {@value #RETRIES} times, 0.1 + 0.2 + 0.4 s apart, instead of fabric8's 10 (about 19 s
 * of back-off). An ADD whose daemon cannot reach the API server then fails in about a second with
 * "API server unreachable" (io.spiderpool.k8s.ApiErrors) rather than after 20 s: the runtime
 * retries the ADD anyway, and the write budget (KubernetesIpam.WRITE_BUDGET) is for lost
 * compare-and-set writes, which make progress, not for a silent API server. A request that is
 * accepted but never answered ends at the client's request timeout (10 s) and is not repeated.
 * docs/reliability.md, fault 4.
 */
@Singleton
public class ApiClientRetries implements KubernetesConfigCustomizer {
  /** Repeats of a request that got no answer. */
  public static final int RETRIES = 3;

  @Override
  public void customize(Config config) {
    apply(config);
  }

  /** Sets the retries on {@code config}. */
  public static void apply(Config config) {
    config.setRequestRetryBackoffLimit(RETRIES);
    config.setRequestRetryBackoffInterval(100);
  }
}
