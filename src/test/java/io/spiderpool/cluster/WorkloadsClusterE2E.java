// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cluster;

import static io.spiderpool.testing.Waits.CLUSTER_POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spiderpool.testing.cluster.ClusterExtension;
import io.spiderpool.testing.cluster.OneNodeCluster;
import io.spiderpool.testing.cluster.SpiderpoolRelease;
import io.spiderpool.testing.e2e.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workloads on the one-node cluster with the chart installed: the kubelet creates every sandbox
 * through containerd, whose CNI call (Debian's bridge) execs the spiderpool plugin the chart
 * installed, which asks the daemon. A Deployment of 20 Pods, scaling it to 0, a StatefulSet Pod
 * re-created, the daemon Pod deleted, a helm upgrade that rolls the DaemonSet, helm uninstall;
 * every step checks the Pods, the pool's records and the SpiderEndpoints against each other.
 */
@ExtendWith(ClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadsClusterE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY = Duration.ofMinutes(5);
  private static final Duration PODS = Duration.ofMinutes(10);
  private static final String NS = "spcl-apps";
  private static final String POOL = "spcl-workloads";
  private static final String POOL_ANNOTATION = "{\"ipv4\":[\"" + POOL + "\"]}";

  private final OneNodeCluster cluster;
  private final SpiderpoolRelease release;
  private final Instant started = Instant.now();
  private Instant uninstallStarted;
  private final Map<String, String> keptAddresses = new TreeMap<>();

  WorkloadsClusterE2E(OneNodeCluster cluster) {
    this.cluster = cluster;
    this.release = new SpiderpoolRelease(cluster);
  }

  @Test
  @Order(1)
  void installTheChartAndAPoolForTheWorkloads() {
    Duration took = release.install(release.values(""));
    release.readyDaemonPod(READY);
    System.err.printf("helm install -> DaemonSet Ready: %.1f s%n", took.toMillis() / 1000.0);
    cluster.kubectl("create", "namespace", NS);
    Command.Outcome pool =
        cluster.kubectlWithInput(
            """
        apiVersion: spiderpool.spidernet.io/v2beta1
        kind: SpiderIPPool
        metadata: {name: %s}
        spec: {subnet: 198.19.2.0/24, ips: ["198.19.2.10-198.19.2.69"], gateway: 198.19.2.1}
        """
                .formatted(POOL),
            "apply",
            "-f",
            "-");
    assertThat(pool.ok()).as(pool.describe()).isTrue();
  }

  @Test
  @Order(2)
  void aDeploymentOfTwentyPodsGetsTwentyDistinctAddressesFromThePool() {
    long t0 = System.nanoTime();
    apply(deployment("web", 20));
    List<JsonNode> pods = runningPods("app=web", 20, PODS);
    System.err.printf(
        "20 Pods Running %.1f s after the Deployment was created%n",
        (System.nanoTime() - t0) / 1e9);
    System.err.println(
        cluster.kubectl("-n", NS, "get", "pods", "-l", "app=web", "-o", "wide").stdout());

    Map<String, String> addresses = addresses(pods);
    assertThat(addresses).hasSize(20);
    assertThat(new HashSet<>(addresses.values())).as("distinct addresses").hasSize(20);
    assertThat(addresses.values()).allMatch(ip -> ip.startsWith("198.19.2."), "inside the pool");
    assertConsistent(addresses, "app=web");
  }

  @Test
  @Order(3)
  void scalingToZeroFreesEveryAddress() {
    long t0 = System.nanoTime();
    cluster.kubectl("-n", NS, "scale", "deployment", "web", "--replicas=0").orThrow();
    await("the web Pods to be gone")
        .atMost(PODS)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptions()
        .until(() -> pods("app=web").isEmpty());
    await("pool " + POOL + " to hold no record")
        .atMost(READY)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptions()
        .until(() -> records().isEmpty());
    System.err.printf(
        "scale 20 -> 0: all addresses free after %.1f s%n", (System.nanoTime() - t0) / 1e9);
    assertThat(poolStatus().path("allocatedIPCount").asInt()).isZero();
    assertThat(endpoints()).as("SpiderEndpoints left in " + NS).isEmpty();
  }

  @Test
  @Order(4)
  void aDeletedStatefulSetPodComesBackWithTheSameAddress() {
    apply(statefulSet("db", 1));
    JsonNode first = runningPods("app=db", 1, PODS).get(0);
    String ip = first.path("status").path("podIP").asText();
    String uid = first.path("metadata").path("uid").asText();
    cluster.kubectl("-n", NS, "delete", "pod", "db-0", "--wait=false").orThrow();
    JsonNode again =
        await("db-0 to be re-created and Running")
            .atMost(PODS)
            .pollInterval(CLUSTER_POLL)
            .ignoreExceptions()
            .until(
                () -> pods("app=db"),
                l ->
                    l.size() == 1
                        && !l.get(0).path("metadata").path("uid").asText().equals(uid)
                        && running(l.get(0)))
            .get(0);
    assertThat(again.path("status").path("podIP").asText())
        .as("address of the re-created db-0")
        .isEqualTo(ip);
    assertConsistent(Map.of("db-0", ip), "app=db");
    keptAddresses.put("db-0", ip);
  }

  @Test
  @Order(5)
  void deletingTheDaemonPodLosesNoAllocationAndNewPodsStillGetAddresses() {
    apply(deployment("keep", 3));
    keptAddresses.putAll(addresses(runningPods("app=keep", 3, PODS)));
    String before = release.readyDaemonPod(READY).path("metadata").path("name").asText();
    Map<String, String> recordsBefore = records();

    cluster
        .kubectl("-n", SpiderpoolRelease.NAMESPACE, "delete", "pod", before, "--wait=true")
        .orThrow();
    JsonNode after = release.readyDaemonPod(READY);
    assertThat(after.path("metadata").path("name").asText()).isNotEqualTo(before);
    assertThat(records())
        .as("the pool's records after the daemon Pod was replaced")
        .isEqualTo(recordsBefore);
    assertThat(addresses(pods("app=keep"))).containsAllEntriesOf(withoutDb(keptAddresses));

    cluster.kubectl("-n", NS, "scale", "deployment", "keep", "--replicas=6").orThrow();
    Map<String, String> now = addresses(runningPods("app=keep", 6, PODS));
    assertThat(new HashSet<>(now.values())).hasSize(6);
    assertConsistent(now, "app=keep");
  }

  @Test
  @Order(6)
  void helmUpgradeWithAChangedValueRollsTheDaemonSetWhilePodsKeepWorking() {
    JsonNode old = release.readyDaemonPod(READY);
    String oldUid = old.path("metadata").path("uid").asText();
    Map<String, String> keep = addresses(pods("app=keep"));

    Duration took =
        release.install(
            release.values(
                """
        ipam:
          enableCleanOutdatedEndpoint: true
        spiderpoolAgent:
          debug: {logLevel: debug}
        """));
    JsonNode rolled =
        await("a new daemon Pod after the upgrade")
            .atMost(READY)
            .pollInterval(CLUSTER_POLL)
            .ignoreExceptions()
            .until(
                () -> release.readyDaemonPod(READY),
                p -> !p.path("metadata").path("uid").asText().equals(oldUid));
    System.err.printf("helm upgrade -> rolled DaemonSet Ready: %.1f s%n", took.toMillis() / 1000.0);
    assertThat(env(rolled, "SPIDERPOOL_LOG_LEVEL")).isEqualTo("debug");
    assertThat(
            cluster
                .kubectl(
                    "-n",
                    SpiderpoolRelease.NAMESPACE,
                    "get",
                    "configmap",
                    "spiderpool-conf",
                    "-o",
                    "jsonpath={.data.conf\\.yml}")
                .orThrow()
                .stdout())
        .contains("enableCleanOutdatedEndpoint: true");

    assertThat(addresses(pods("app=keep"))).as("the Pods that were running").isEqualTo(keep);
    cluster.kubectl("-n", NS, "scale", "deployment", "keep", "--replicas=8").orThrow();
    Map<String, String> now = addresses(runningPods("app=keep", 8, PODS));
    assertThat(new HashSet<>(now.values())).hasSize(8);
    assertConsistent(now, "app=keep");
  }

  @Test
  @Order(7)
  void helmUninstallKeepsTheCrdsAndThePools() {
    cluster.kubectl("delete", "namespace", NS, "--wait=true", "--timeout=300s").orThrow();
    await("pool " + POOL + " to hold no record")
        .atMost(READY)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptions()
        .until(() -> records().isEmpty());
    uninstallStarted = Instant.now();
    Command.Outcome out = release.uninstall();
    assertThat(out.ok()).as(out.describe()).isTrue();
    assertThat(cluster.kubectl("get", "crd", "spiderippools.spiderpool.spidernet.io").ok())
        .isTrue();
    assertThat(cluster.kubectl("get", "spiderippool", POOL).ok()).isTrue();
    assertThat(cluster.kubectl("get", "spiderippool", SpiderpoolRelease.DEFAULT_POOL).ok())
        .isTrue();
  }

  @Test
  @Order(8)
  void theChartsServiceAccountsWereNeverRefused() throws IOException {
    RbacAudit audit =
        RbacAudit.read(cluster.auditLog(), SpiderpoolRelease.NAMESPACE, started, uninstallStarted);
    assertThat(audit.denied())
        .as("requests of the chart's ServiceAccounts refused by RBAC")
        .isEmpty();
    assertThat(audit.deniedAfterBeyondShutdown())
        .as("writes refused while helm uninstall ran")
        .isEmpty();
    assertThat(audit.seen("spiderpool-agent"))
        .contains(
            "create spiderpool.spidernet.io/spiderendpoints",
            "patch spiderpool.spidernet.io/spiderippools/status",
            "get apps/replicasets",
            "get apps/statefulsets",
            "watch apps/statefulsets",
            "update coordination.k8s.io/leases");
  }

  @AfterAll
  void cleanUp() {
    cluster.kubectl(
        "delete", "namespace", NS, "--ignore-not-found", "--wait=true", "--timeout=300s");
    release.uninstall();
  }

  // --- helpers
  // --------------------------------------------------------------------------------------

  private void apply(String yaml) {
    Command.Outcome out = cluster.kubectlWithInput(yaml, "apply", "-f", "-");
    assertThat(out.ok()).as(out.describe()).isTrue();
  }

  private String deployment(String name, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          replicas: %3$d
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata:
              labels: {app: %1$s}
              annotations: {ipam.spidernet.io/ippool: '%4$s'}
            spec:
              terminationGracePeriodSeconds: 5
              containers: [{name: main, image: %5$s, imagePullPolicy: Never}]
        """
        .formatted(
            name, NS, replicas, POOL_ANNOTATION, cluster.property("SPIDERPOOL_CLUSTER_TEST_IMAGE"));
  }

  private String statefulSet(String name, int replicas) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          replicas: %3$d
          serviceName: %1$s
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata:
              labels: {app: %1$s}
              annotations: {ipam.spidernet.io/ippool: '%4$s'}
            spec:
              terminationGracePeriodSeconds: 5
              containers: [{name: main, image: %5$s, imagePullPolicy: Never}]
        """
        .formatted(
            name, NS, replicas, POOL_ANNOTATION, cluster.property("SPIDERPOOL_CLUSTER_TEST_IMAGE"));
  }

  private List<JsonNode> pods(String selector) {
    List<JsonNode> out = new ArrayList<>();
    cluster.json("-n", NS, "get", "pods", "-l", selector).path("items").forEach(out::add);
    return out;
  }

  private List<JsonNode> runningPods(String selector, int count, Duration timeout) {
    return await(count + " Running Pods " + selector)
        .atMost(timeout)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptions()
        .until(
            () -> pods(selector),
            l -> l.size() == count && l.stream().allMatch(WorkloadsClusterE2E::running));
  }

  private static boolean running(JsonNode pod) {
    return pod.path("status").path("phase").asText().equals("Running")
        && !pod.path("status").path("podIP").asText().isEmpty()
        && pod.path("metadata").path("deletionTimestamp").isMissingNode();
  }

  private static Map<String, String> addresses(List<JsonNode> pods) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode p : pods) {
      out.put(p.path("metadata").path("name").asText(), p.path("status").path("podIP").asText());
    }
    return out;
  }

  private static Map<String, String> withoutDb(Map<String, String> m) {
    Map<String, String> out = new TreeMap<>(m);
    out.remove("db-0");
    return out;
  }

  private JsonNode poolStatus() {
    return cluster.json("get", "spiderippool", POOL).path("status");
  }

  /** The pool's records: address -> "namespace/pod". */
  private Map<String, String> records() {
    String text = poolStatus().path("allocatedIPs").asText("");
    Map<String, String> out = new TreeMap<>();
    if (text.isEmpty()) {
      return out;
    }
    try {
      JsonNode records = JSON.readTree(text);
      for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().path("pod").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("status.allocatedIPs of " + POOL + " is not JSON: " + text, e);
    }
    return out;
  }

  /** SpiderEndpoints in the test namespace: pod name -> IPv4 address (without prefix). */
  private Map<String, String> endpoints() {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode e : cluster.json("-n", NS, "get", "spiderendpoints").path("items")) {
      String ip = e.path("status").path("current").path("ips").path(0).path("ipv4").asText();
      out.put(
          e.path("metadata").path("name").asText(),
          ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip);
    }
    return out;
  }

  /**
   * Pod addresses (what the runtime reported from the CNI result), the pool's records and the
   * SpiderEndpoints agree for these Pods, and the pool's counter matches its records.
   */
  private void assertConsistent(Map<String, String> podAddresses, String selector) {
    Map<String, String> records = records();
    Map<String, String> endpoints = endpoints();
    for (Map.Entry<String, String> p : podAddresses.entrySet()) {
      assertThat(records)
          .as("pool record of " + p.getKey())
          .containsEntry(p.getValue(), NS + "/" + p.getKey());
      assertThat(endpoints)
          .as("SpiderEndpoint of " + p.getKey())
          .containsEntry(p.getKey(), p.getValue());
    }
    await("allocatedIPCount of " + POOL + " to equal its records")
        .atMost(READY)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptions()
        .until(() -> poolStatus().path("allocatedIPCount").asInt() == records().size());
    System.err.println(cluster.kubectl("get", "spiderippool", POOL).stdout());
  }

  private static String env(JsonNode pod, String name) {
    for (JsonNode c : pod.path("spec").path("containers")) {
      for (JsonNode e : c.path("env")) {
        if (e.path("name").asText().equals(name)) {
          return e.path("value").asText();
        }
      }
    }
    return null;
  }
}
