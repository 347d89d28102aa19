// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cluster;

import static io.spiderpool.testing.Waits.CLUSTER_POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.spiderpool.testing.cluster.ClusterExtension;
import io.spiderpool.testing.cluster.OneNodeCluster;
import io.spiderpool.testing.cluster.SpiderpoolRelease;
import io.spiderpool.testing.e2e.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart on a real node: helm install, the DaemonSet Pod Ready and holding the controller Lease,
 * the CNI plugin the init container put on the host (and its class-data archive mapping there), the
 * default pool of the post-install hook, the admission webhooks reached by the API server through
 * the Service's endpoints, the metric names the monitoring objects use, and helm uninstall keeping
 * the CRDs and the user's pools. Steps run in order on one release.
 */
@ExtendWith(ClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallClusterE2E {
  private static final Duration READY = Duration.ofMinutes(5);
  private static final String USER_POOL = "spcl-install-user";

  private final OneNodeCluster cluster;
  private final SpiderpoolRelease release;
  private final Instant started = Instant.now();
  private Instant uninstallStarted;

  ChartInstallClusterE2E(OneNodeCluster cluster) {
    this.cluster = cluster;
    this.release = new SpiderpoolRelease(cluster);
  }

  @Test
  @Order(1)
  void helmInstallMakesTheDaemonReadyAndItHoldsTheLease() {
    Duration took = release.install(release.values(""));
    JsonNode pod = release.readyDaemonPod(READY);
    String name = pod.path("metadata").path("name").asText();
    System.err.printf(
        "helm install -> DaemonSet Ready (and the hook done): %.1f s%n", took.toMillis() / 1000.0);

    assertThat(pod.path("spec").path("hostNetwork").asBoolean()).isTrue();
    assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo("spiderpool-agent");
    assertThat(
            await("the daemon Pod to hold Lease " + SpiderpoolRelease.LEASE)
                .atMost(READY)
                .pollInterval(CLUSTER_POLL)
                .ignoreExceptions()
                .until(release::leaseHolder, name::equals))
        .isEqualTo(name);
  }

  @Test
  @Order(2)
  void theInitContainerInstalledThePluginOnTheHost() {
    Path bin = cluster.cniBinDir();
    Path launcher = bin.resolve("spiderpool");
    assertThat(launcher).isExecutable();
    String id =
        Command.run("sed", "-n", "s|^payload=.*/spiderpool\\.d/||p", launcher.toString())
            .orThrow()
            .stdout()
            .trim();
    assertThat(id).matches("[0-9a-f]{16}");
    Path payload = bin.resolve("spiderpool.d").resolve(id);
    assertThat(payload.resolve("runtime/bin/java")).isExecutable();
    assertThat(payload.resolve("spiderpool-cni.jar")).isRegularFile();
    assertThat(payload.resolve("spiderpool-cni.aot")).isRegularFile();
    // the runtime holds java.base and nothing else
    assertThat(
            Command.run(payload.resolve("runtime/bin/java").toString(), "--list-modules")
                .orThrow()
                .stdout()
                .trim())
        .startsWith("java.base@")
        .doesNotContain("\njava.");
    // the launcher as the runtime calls it; JAVA_TOOL_OPTIONS=-XX:AOTMode=on makes the JVM refuse
    // to run unless the archive made at image build maps at the installed paths
    Command.Outcome version =
        Command.run(
            List.of(launcher.toString()),
            Map.of("CNI_COMMAND", "VERSION", "JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"),
            "{\"cniVersion\":\"1.0.0\"}",
            Duration.ofSeconds(30));
    assertThat(version.ok()).as(version.describe()).isTrue();
    assertThat(version.stdout())
        .contains("\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]");
  }

  @Test
  @Order(3)
  void thePostInstallHookMadeTheDefaultPool() {
    JsonNode pool = cluster.json("get", "spiderippool", SpiderpoolRelease.DEFAULT_POOL);
    assertThat(pool.path("spec").path("default").asBoolean()).isTrue();
    assertThat(pool.path("spec").path("subnet").asText()).isEqualTo("198.19.0.0/24");
    assertThat(pool.path("spec").path("ips").toString())
        .isEqualTo("[\"198.19.0.10-198.19.0.250\"]");
    // the hook's subnet first (ipam.spiderSubnet.enable), then the pool inside it
    assertThat(
            cluster
                .json("get", "spidersubnet", "default-v4-subnet")
                .path("spec")
                .path("subnet")
                .asText())
        .isEqualTo("198.19.0.0/24");
  }

  @Test
  @Order(4)
  void theWebhooksMutateAndValidateAPoolCreatedWithKubectl() {
    cluster.kubectl("delete", "spiderippool", USER_POOL, "--ignore-not-found", "--wait=true");
    Command.Outcome created =
        cluster.kubectlWithInput(
            """
        apiVersion: spiderpool.spidernet.io/v2beta1
        kind: SpiderIPPool
        metadata: {name: %s}
        spec:
          subnet: 198.19.7.0/24
          ips: ["198.19.7.30-198.19.7.40", "198.19.7.10-198.19.7.31", "198.19.7.41"]
          gateway: 198.19.7.1
        """
                .formatted(USER_POOL),
            "apply",
            "-f",
            "-");
    assertThat(created.ok()).as(created.describe()).isTrue();
    JsonNode pool = cluster.json("get", "spiderippool", USER_POOL);
    // mutation: ipVersion derived, ranges merged and sorted, the CIDR label and the finalizer added
    assertThat(pool.path("spec").path("ipVersion").asInt()).isEqualTo(4);
    assertThat(pool.path("spec").path("ips").toString()).isEqualTo("[\"198.19.7.10-198.19.7.41\"]");
    assertThat(pool.path("metadata").path("labels").path("ipam.spidernet.io/ippool-cidr").asText())
        .isEqualTo("198-19-7-0-24");
    assertThat(pool.path("metadata").path("finalizers").toString())
        .contains("spiderpool.spidernet.io");

    // validation: refused with what to change
    Command.Outcome overlap =
        cluster.kubectlWithInput(
            """
        apiVersion: spiderpool.spidernet.io/v2beta1
        kind: SpiderIPPool
        metadata: {name: spcl-install-overlap}
        spec: {subnet: 198.19.7.0/24, ips: ["198.19.7.40-198.19.7.50"]}
        """,
            "apply",
            "-f",
            "-");
    assertThat(overlap.ok()).isFalse();
    assertThat(overlap.stderr())
        .contains("denied the request")
        .contains("overlap SpiderIPPool " + USER_POOL);
    Command.Outcome badGateway =
        cluster.kubectlWithInput(
            """
        apiVersion: spiderpool.spidernet.io/v2beta1
        kind: SpiderIPPool
        metadata: {name: spcl-install-gateway}
        spec: {subnet: 198.19.8.0/24, ips: ["198.19.8.1-198.19.8.9"], gateway: 198.19.8.1}
        """,
            "apply",
            "-f",
            "-");
    assertThat(badGateway.ok()).isFalse();
    assertThat(badGateway.stderr()).contains("spec.gateway: 198.19.8.1 is inside spec.ips");
  }

  @Test
  @Order(5)
  void everyMetricTheMonitoringObjectsQueryIsExported() {
    // the chart's PrometheusRule and dashboard, rendered with the same helm
    Command.Outcome rendered =
        cluster.helm(
            Duration.ofMinutes(2),
            "template",
            "spiderpool",
            "helm/spiderpool",
            "--set",
            "spiderpoolAgent.prometheus.enabled=true",
            "--set",
            "spiderpoolAgent.prometheus.prometheusRule.install=true",
            "--set",
            "spiderpoolAgent.prometheus.serviceMonitor.install=true",
            "--set",
            "grafanaDashboard.install=true");
    assertThat(rendered.ok()).as(rendered.describe()).isTrue();
    Set<String> queried = new TreeSet<>();
    Matcher m = Pattern.compile("spiderpool_[a-z_]+").matcher(rendered.stdout());
    while (m.find()) {
      queried.add(m.group());
    }
    queried.remove("spiderpool_ipam"); // the dashboard's file name, not a metric
    assertThat(queried).hasSizeGreaterThan(10);

    String node = cluster.property("SPIDERPOOL_CLUSTER_NODE_IP");
    Command.Outcome scrape =
        cluster.inNode(
            List.of("curl", "-fsS", "--max-time", "10", "http://" + node + ":5711/metrics"),
            Duration.ofSeconds(30));
    assertThat(scrape.ok()).as(scrape.describe()).isTrue();
    Set<String> exported = new TreeSet<>();
    for (String line : scrape.stdout().split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    List<String> missing = new ArrayList<>(queried);
    missing.removeAll(exported);
    assertThat(missing).as("metrics queried by the chart but not exported by the daemon").isEmpty();
  }

  @Test
  @Order(6)
  void helmUninstallKeepsTheCrdsAndTheUsersPools() {
    uninstallStarted = Instant.now();
    Command.Outcome out = release.uninstall();
    assertThat(out.ok()).as(out.describe()).isTrue();
    await("the daemon Pods to be gone")
        .atMost(READY)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptions()
        .until(() -> release.daemonPods().isEmpty());
    assertThat(cluster.kubectl("get", "mutatingwebhookconfiguration", "spiderpool-controller").ok())
        .isFalse();
    for (String crd :
        List.of("spiderippools", "spidersubnets", "spiderendpoints", "spiderreservedips")) {
      assertThat(cluster.kubectl("get", "crd", crd + ".spiderpool.spidernet.io").ok())
          .as(crd)
          .isTrue();
    }
    assertThat(cluster.kubectl("get", "spiderippool", USER_POOL).ok()).isTrue();
    assertThat(cluster.kubectl("get", "spiderippool", SpiderpoolRelease.DEFAULT_POOL).ok())
        .isTrue();
  }

  @Test
  @Order(7)
  void theChartsServiceAccountsWereNeverRefused() throws Exception {
    RbacAudit audit =
        RbacAudit.read(cluster.auditLog(), SpiderpoolRelease.NAMESPACE, started, uninstallStarted);
    assertThat(audit.denied())
        .as("requests of the chart's ServiceAccounts refused by RBAC")
        .isEmpty();
    assertThat(audit.deniedAfterBeyondShutdown())
        .as("writes refused while helm uninstall ran")
        .isEmpty();
    // not vacuous: the audit log holds what the daemon did in this class
    assertThat(audit.seen("spiderpool-agent"))
        .contains(
            "update coordination.k8s.io/leases",
            "list spiderpool.spidernet.io/spiderippools",
            "watch /pods",
            "get /configmaps");
    assertThat(audit.seen("spiderpool-init"))
        .contains("create spiderpool.spidernet.io/spiderippools");
  }

  @AfterAll
  void uninstallWhateverIsLeft() {
    release.uninstall();
  }
}
