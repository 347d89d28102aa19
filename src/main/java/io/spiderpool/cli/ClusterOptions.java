// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spiderpool.core.error.InvalidInputException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What every operator command shares: where the cluster is and how to print. The client is built
 * here, not by Quarkus, so these commands run without booting it (docs/cli.md#start-up).
 */
public class ClusterOptions {
  /** Output formats; JSON and YAML are stable for scripts. */
  public enum Format {
    table,
    json,
    yaml
  }

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster"
              + " service account)")
  Path kubeconfig;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, json or yaml (default ${DEFAULT-VALUE})")
  Format output;

  /** A client for the cluster these options name; the caller closes it. */
  KubernetesClient connect() {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new InvalidInputException("--kubeconfig " + kubeconfig + ": no readable file there");
      }
      config = Config.fromKubeconfig((String) null, new File(kubeconfig.toString()));
    } else {
      config = Config.autoConfigure(null);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
