// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.testing.cluster.ClusterExtension;
import io.spiderpool.testing.e2e.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl spiderpool ...}: the launcher of src/main/image/kubectl-spiderpool found on PATH
 * by the kubectl of hack/k8s-build.sh, over an install laid out as in the image ({@code
 * SPIDERPOOL_HOME/app} = target/quarkus-app). {@code pool plan} needs no cluster.
 */
class KubectlPluginIT {

  @Test
  void kubectlRunsTheCommandLineAsAPlugin(@TempDir Path tmp) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.copy(Path.of("src/main/image/kubectl-spiderpool"), bin.resolve("kubectl-spiderpool"));
    bin.resolve("kubectl-spiderpool").toFile().setExecutable(true);
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.createSymbolicLink(home.resolve("app"), Path.of("target/quarkus-app").toAbsolutePath());
    Properties v = ClusterExtension.versions();
    Path kubectl =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "SPIDERPOOL_K8S_DIR",
                    System.getProperty("user.home") + "/.cache/spiderpool/k8s"),
            v.getProperty("K8S_VERSION"),
            "kubectl");
    assertThat(kubectl).as("kubectl from hack/k8s-build.sh").isExecutable();
    Map<String, String> env =
        Map.of("PATH", bin + ":" + System.getenv("PATH"), "SPIDERPOOL_HOME", home.toString());

    Command.Outcome plugins =
        Command.run(List.of(kubectl.toString(), "plugin", "list"), env, "", Duration.ofSeconds(30));
    assertThat(plugins.stdout()).as(plugins.describe()).contains("kubectl-spiderpool");

    Command.Outcome plan =
        Command.run(
            List.of(
                kubectl.toString(),
                "spiderpool",
                "pool",
                "plan",
                "--subnet",
                "10.7.0.0/24",
                "--ips",
                "10.7.0.10-10.7.0.20",
                "--next",
                "2"),
            env,
            "",
            Duration.ofSeconds(120));
    assertThat(plan.exitCode()).as(plan.describe()).isZero();
    assertThat(plan.stdout()).contains("totalIPCount:  11").contains("10.7.0.10 10.7.0.11");

    Command.Outcome refused =
        Command.run(
            List.of(
                kubectl.toString(),
                "spiderpool",
                "ip",
                "show",
                "x",
                "--kubeconfig",
                "/nonexistent"),
            env,
            "",
            Duration.ofSeconds(120));
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(ExitCodes.USAGE);
  }
}
