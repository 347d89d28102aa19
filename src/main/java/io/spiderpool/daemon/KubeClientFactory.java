// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Where the daemon's Kubernetes client comes from. There is one client, the one the Quarkus
 * extension produces, shared with the engine. Its configuration is read when the bean is first
 * created, with fabric8's auto-configuration: the {@code kubeconfig} system property, else {@code
 * KUBECONFIG}, else {@code ~/.kube/config}, else the in-cluster service account. {@code
 * quarkus.kubernetes-client.kubeconfig-file} cannot serve {@code --kubeconfig}: it is fixed at
 * build time. So the static main copies {@code --kubeconfig} into that system property before
 * Quarkus boots ({@link #configureBeforeBoot}).
 */
public final class KubeClientFactory {
  private static final Logger LOG = Logger.getLogger(KubeClientFactory.class.getName());

  /** fabric8's {@code Config.KUBERNETES_KUBECONFIG_FILE}. */
  static final String KUBECONFIG_PROPERTY = "kubeconfig";

  private KubeClientFactory() {}

  /**
   * For {@code spiderpool daemon|controller --kubeconfig FILE ...}: makes FILE the client's
   * kubeconfig.
   */
  public static void configureBeforeBoot(String[] args) {
    if (args.length == 0 || !("daemon".equals(args[0]) || "controller".equals(args[0]))) {
      return;
    }
    String file = kubeconfigArg(args);
    if (file != null && !file.isBlank()) {
      System.setProperty(KUBECONFIG_PROPERTY, file);
    }
  }

  /** The value of {@code --kubeconfig} in either picocli spelling, or null. */
  static String kubeconfigArg(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--kubeconfig") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--kubeconfig=")) {
        return args[i].substring("--kubeconfig=".length());
      }
    }
    return null;
  }

  /** Refuses a {@code --kubeconfig} that names no readable file, before any client is built. */
  public static void checkKubeconfig(Path kubeconfig) {
    if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
      throw new InvalidInputException("--kubeconfig " + kubeconfig + ": no readable file there");
    }
  }

  /**
   * Waits until the API server answers, as Spiderpool's agent waits for {@code /readyz} before
   * starting (15 tries, 2 s apart): a node that boots before the control plane should not
   * crash-loop, and a daemon that can never reach it should say so.
   */
  public static void awaitApiServer(KubernetesClient client, int tries, Duration gap) {
    RuntimeException last = null;
    for (int i = 1; i <= tries; i++) {
      try {
        String version = client.getKubernetesVersion().getGitVersion();
        LOG.info("API server " + client.getMasterUrl() + " answers, Kubernetes " + version);
        return;
      } catch (RuntimeException e) {
        last = e;
        LOG.warning(
            "API server "
                + client.getMasterUrl()
                + " not reachable (try "
                + i
                + "/"
                + tries
                + "): "
                + e.getMessage());
      }
      sleep(gap);
    }
    throw new TransientException(
        "API server "
            + client.getMasterUrl()
            + " did not answer after "
            + tries
            + " tries; check --kubeconfig, KUBECONFIG or the in-cluster service account",
        last);
  }

  private static void sleep(Duration gap) {
    try {
      Thread.sleep(gap.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted while waiting for the API server");
    }
  }
}
