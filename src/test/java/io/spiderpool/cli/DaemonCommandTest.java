// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/**
 * {@code spiderpool daemon} as an operator meets it, with Quarkus booted. Only paths that end
 * before the daemon would serve are run here; serving is {@code NodeDaemonTest}'s business.
 */
@QuarkusMainTest
class DaemonCommandTest {

  @Test
  @Launch({"daemon", "--help"})
  void helpListsEveryOptionWithItsEnvironmentFallback(LaunchResult result) {
    assertThat(result.getOutput())
        .contains("Usage: spiderpool daemon")
        .contains("--kubeconfig=FILE")
        .contains("--node-name")
        .contains("SPIDERPOOL_NODE_NAME")
        .contains("--pod-name")
        .contains("--pod-namespace")
        .contains("--config, --config-path=FILE")
        .contains("--socket=PATH")
        .contains("/var/run/spidernet/spiderpool.sock")
        .contains("--health-port")
        .contains("SPIDERPOOL_HEALTH_PORT")
        .contains("--metrics-port")
        .contains("SPIDERPOOL_METRIC_HTTP_PORT")
        .contains("--enable-metric")
        .contains("SPIDERPOOL_ENABLED_METRIC");
  }

  @Test
  @Launch(
      value = {"daemon", "--health-port", "x"},
      exitCode = 2)
  void badSettingsFailBeforeAnythingStartsWithEveryProblemNamed(LaunchResult result) {
    assertThat(result.getErrorOutput())
        .contains("spiderpool daemon: the node name is required")
        .contains("--health-port=x is not a TCP port");
  }

  @Test
  @Launch(
      value = {"daemon", "--node-name", "n1", "--kubeconfig", "/nonexistent/kubeconfig"},
      exitCode = 2)
  void aMissingKubeconfigIsNamed(LaunchResult result) {
    assertThat(result.getErrorOutput())
        .contains("--kubeconfig /nonexistent/kubeconfig: no readable file there");
  }

  @Test
  @Launch(
      value = {"daemon", "--node-name", "n1", "--config-path", "/nonexistent/conf.yml"},
      exitCode = 2)
  void spiderpoolsConfigPathSpellingIsAccepted(LaunchResult result) {
    assertThat(result.getErrorOutput()).contains("cannot read conf.yml at /nonexistent/conf.yml");
  }
}
