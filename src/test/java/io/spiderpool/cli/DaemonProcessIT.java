// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static io.spiderpool.testing.Waits.PROCESS_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.daemon.agent.SocketClient;
import io.spiderpool.daemon.agent.SocketClient.Answer;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.testing.Http;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code spiderpool daemon} as the DaemonSet runs it, against a real API server:
 * started with the command line the e2e harness uses, it serves an ADD on its socket, answers its
 * probes and metrics, and on SIGTERM stops gracefully and removes the socket file.
 */
@ExtendWith(ControlPlaneExtension.class)
class DaemonProcessIT {
  private static final String NS = "daemon-it";

  @TempDir Path dir;

  @Test
  void servesAnAddAndStopsCleanlyOnSigterm(LocalControlPlane cp) throws Exception {
    KubernetesClient admin = cp.client();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    admin
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-it")
                .addToLabels("spiderpool.test/daemon-process-it", "campaigns")
                .endMetadata()
                .build())
        .serverSideApply();
    SpiderIPPool pool = new SpiderIPPool();
    pool.getMetadata().setName("daemon-it-v4");
    SpiderIPPoolSpec spec = new SpiderIPPoolSpec();
    spec.setIpVersion(4L);
    spec.setSubnet("10.66.0.0/24");
    spec.setIps(List.of("10.66.0.10-10.66.0.20"));
    spec.setGateway("10.66.0.1");
    spec.setDefault(true);
    // the control plane is shared by the whole run: keep this cluster-default pool to this node
    spec.setNodeName(List.of("node-it"));
    pool.setSpec(spec);
    admin.resource(pool).serverSideApply();
    Pod pod =
        admin
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("p1")
                    .withNamespace(NS)
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("node-it")
                    .addNewContainer()
                    .withName("c")
                    .withImage("busybox")
                    .endContainer()
                    .endSpec()
                    .build())
            .serverSideApply();

    Path sock = dir.resolve("run/spiderpool.sock");
    int health = freePort();
    int metrics = freePort();
    int webhook = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                "java",
                "-jar",
                "target/quarkus-app/quarkus-run.jar",
                "daemon",
                "--kubeconfig",
                cp.kubeconfig().toString(),
                "--node-name",
                "node-it",
                "--socket",
                sock.toString(),
                "--health-port",
                String.valueOf(health),
                "--metrics-port",
                String.valueOf(metrics),
                "--enable-metric",
                "--webhook-port",
                String.valueOf(webhook),
                "--tls-server-cert",
                cp.property("SPIDERPOOL_CP_WEBHOOK_CRT"),
                "--tls-server-key",
                cp.property("SPIDERPOOL_CP_WEBHOOK_KEY"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("daemon.log").toFile());
    // it campaigns for the controller role on a Lease of its own, whatever Nodes other tests made
    pb.environment().put("SPIDERPOOL_LEADER_LEASE_NAME", "daemon-process-it");
    // and campaigns because its Node matches the selector: with no Node matching, only the first
    // few Nodes by name would (docs/controller.md), and other tests' Nodes may sort first
    pb.environment()
        .put("SPIDERPOOL_CONTROLLER_NODE_SELECTOR", "spiderpool.test/daemon-process-it=campaigns");
    Process daemon = pb.start();
    try {
      awaitStarted(health, daemon);
      Answer add =
          new SocketClient(sock)
              .send(
                  "POST",
                  "/v1/ipam/ip",
                  "{\"containerID\":\"c1\",\"ifName\":\"eth0\","
                      + "\"netNamespace\":\"/proc/1/ns/net\",\"podNamespace\":\""
                      + NS
                      + "\",\"podName\":\"p1\",\"podUID\":\""
                      + pod.getMetadata().getUid()
                      + "\"}");
      assertThat(add.status()).as(add.body()).isEqualTo(200);
      assertThat(add.body())
          .contains("\"address\":\"10.66.0.10/24\"")
          .contains("\"ipPool\":\"daemon-it-v4\"");
      Http.on(health).get("/v1/runtime/readiness").then().statusCode(200);
      Http.on(metrics)
          .get("/metrics")
          .then()
          .statusCode(200)
          .body(containsString("spiderpool_ipam_allocation_counts_total 1.0"));
      // the daemon holds the controller role, so the role's metrics are on the same port
      String[] scrape = new String[1];
      await("the daemon reports the controller role's gauges")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .untilAsserted(
              () -> {
                scrape[0] = Http.on(metrics).get("/metrics").then().extract().asString();
                assertThat(scrape[0])
                    .contains("spiderpool_controller_role_holder 1.0")
                    .contains(
                        "spiderpool_debug_ippool_total_ip_counts{SpiderIPPool=\"daemon-it-v4\",} 11.0")
                    .contains("spiderpool_ip_gc_counts_total");
              });
      ControllerMetricsIT.promtoolAccepts(scrape[0]);
      // every daemon serves the admission webhooks, with the certificate the caBundle trusts
      SSLContext trustingTheCa = Http.trusting(Path.of(cp.property("SPIDERPOOL_CP_CA_CRT")));
      Http.tls(webhook, trustingTheCa).get("/webhook-health-check").then().statusCode(200);
    } finally {
      daemon.destroy(); // SIGTERM
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
    }
    // a JVM ended by SIGTERM reports 143 (128 + 15) once its shutdown hooks ran; that is graceful
    String log = Files.readString(dir.resolve("daemon.log"));
    assertThat(daemon.exitValue()).as(log).isIn(0, 143);
    assertThat(log).contains("stopping: closing " + sock).contains("spiderpool stopped in");
    assertThat(Files.exists(sock)).isFalse();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitStarted(int health, Process daemon) throws IOException {
    try {
      await("the daemon's startup probe answers 200")
          .atMost(PROCESS_START)
          .pollInterval(Duration.ofMillis(200))
          .failFast("the daemon exited", () -> !daemon.isAlive())
          .ignoreExceptionsInstanceOf(IOException.class) // the port is not open yet
          .untilAsserted(() -> Http.on(health).get("/v1/runtime/startup").then().statusCode(200));
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      String log = Files.readString(dir.resolve("daemon.log"));
      throw new AssertionError(e.getMessage() + "; daemon log:\n" + log, e);
    }
  }
}
