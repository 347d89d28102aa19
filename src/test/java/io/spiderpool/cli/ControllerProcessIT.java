// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static io.spiderpool.testing.Waits.PROCESS_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.testing.Http;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code spiderpool controller}, as a Deployment would run it: it serves the webhooks,
 * takes the controller role's Lease with its Pod name, turns ready once a holder is known, and on
 * SIGTERM releases the Lease.
 */
@ExtendWith(ControlPlaneExtension.class)
class ControllerProcessIT {
  private static final String LEASE = "controller-process-it";

  @TempDir Path dir;

  @Test
  void holdsTheRoleAndReleasesItOnSigterm(LocalControlPlane cp) throws Exception {
    KubernetesClient client = cp.client();
    int health = freePort();
    int webhook = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                "java",
                "-jar",
                "target/quarkus-app/quarkus-run.jar",
                "controller",
                "--kubeconfig",
                cp.kubeconfig().toString(),
                "--pod-name",
                "spiderpool-controller-x1",
                "--pod-namespace",
                "kube-system",
                "--health-port",
                String.valueOf(health),
                "--webhook-port",
                String.valueOf(webhook),
                "--tls-server-cert",
                cp.property("SPIDERPOOL_CP_WEBHOOK_CRT"),
                "--tls-server-key",
                cp.property("SPIDERPOOL_CP_WEBHOOK_KEY"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("controller.log").toFile());
    pb.environment().put("SPIDERPOOL_LEADER_LEASE_NAME", LEASE);
    Process controller = pb.start();
    try {
      try {
        await("the controller's readiness probe answers 200")
            .atMost(PROCESS_START)
            .pollInterval(Duration.ofMillis(200))
            .failFast("the controller exited", () -> !controller.isAlive())
            .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
            .untilAsserted(
                () -> Http.on(health).get("/v1/runtime/readiness").then().statusCode(200));
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        String log = Files.readString(dir.resolve("controller.log"));
        throw new AssertionError(e.getMessage() + "; log:\n" + log, e);
      }
      Lease lease = client.leases().inNamespace("kube-system").withName(LEASE).get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("spiderpool-controller-x1");
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    } finally {
      controller.destroy();
      assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String log = Files.readString(dir.resolve("controller.log"));
    assertThat(log)
        .contains("spiderpool-controller-x1 holds the controller role")
        .contains("released the controller role's Lease");
    assertThat(
            client
                .leases()
                .inNamespace("kube-system")
                .withName(LEASE)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEmpty();
    client.leases().inNamespace("kube-system").withName(LEASE).delete();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
