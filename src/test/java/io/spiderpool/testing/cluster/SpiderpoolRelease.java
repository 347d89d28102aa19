// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.cluster;

import static io.spiderpool.testing.Waits.CLUSTER_POLL;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.spiderpool.testing.e2e.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart in helm/spiderpool installed into the one-node cluster with helm, as a user would:
 * release {@code spiderpool} in namespace {@code spiderpool}, the image hack/image.sh built (pull
 * policy Never, so only the imported image can run), the cluster's CNI bin dir and socket dir, and
 * a default IPv4 pool made by the post-install hook.
 */
public final class SpiderpoolRelease {
  public static final String NAMESPACE = "spiderpool";
  public static final String RELEASE = "spiderpool";
  public static final String DAEMONSET = "spiderpool-agent";
  public static final String LEASE = "spiderpool-controller-leases";
  public static final String DEFAULT_POOL = "default-v4-ippool";
  public static final Duration HELM_TIMEOUT = Duration.ofMinutes(10);

  private final OneNodeCluster cluster;

  public SpiderpoolRelease(OneNodeCluster cluster) {
    this.cluster = cluster;
  }

  /** The values every install here uses; {@code extra} (YAML) is appended. */
  public Path values(String extra) {
    String yaml =
        String.join(
                "\n",
                "global:",
                "  cniBinHostPath: " + cluster.property("SPIDERPOOL_CLUSTER_CNI_BIN_DIR"),
                "  ipamUNIXSocketHostPath: " + cluster.property("SPIDERPOOL_CLUSTER_IPAM_SOCKET"),
                "  # no kube-proxy in this cluster: the daemons reach the API server directly",
                "  k8sServiceHost: " + cluster.property("SPIDERPOOL_CLUSTER_NODE_IP"),
                "  k8sServicePort: \"6443\"",
                "ipam:",
                "  enableIPv6: false",
                "clusterDefaultPool:",
                "  installIPv4IPPool: true",
                "  ipv4Subnet: 198.19.0.0/24",
                "  ipv4IPRanges: [198.19.0.10-198.19.0.250]",
                "  ipv4Gateway: 198.19.0.1",
                "spiderpoolAgent:",
                "  image: {pullPolicy: Never}",
                "  prometheus: {enabled: true}",
                "spiderpoolInit:",
                "  image: {pullPolicy: Never}",
                "")
            + extra;
    try {
      Path file = Files.createTempFile("spiderpool-values-", ".yaml");
      Files.writeString(file, yaml);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code helm upgrade --install --wait}: returns when the DaemonSet is ready and the hook made
   * the default pool. Returns helm's wall time.
   */
  public Duration install(Path values, String... moreArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "upgrade",
                "--install",
                RELEASE,
                "helm/spiderpool",
                "--namespace",
                NAMESPACE,
                "--create-namespace",
                "--values",
                values.toString(),
                "--wait",
                "--timeout",
                HELM_TIMEOUT.toSeconds() + "s"));
    args.addAll(List.of(moreArgs));
    long t0 = System.nanoTime();
    Command.Outcome out = cluster.helm(HELM_TIMEOUT.plusMinutes(1), args.toArray(String[]::new));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (!out.ok()) {
      throw new AssertionError("helm install failed:\n" + out.describe() + "\n" + diagnostics());
    }
    return took;
  }

  /** {@code helm uninstall --wait}; nothing when the release is not there. */
  public Command.Outcome uninstall() {
    return cluster.helm(
        HELM_TIMEOUT,
        "uninstall",
        RELEASE,
        "--namespace",
        NAMESPACE,
        "--wait",
        "--ignore-not-found",
        "--timeout",
        "300s");
  }

  /** The daemon Pods of the DaemonSet. */
  public List<JsonNode> daemonPods() {
    List<JsonNode> pods = new ArrayList<>();
    cluster
        .json("-n", NAMESPACE, "get", "pods", "-l", "app.kubernetes.io/component=" + DAEMONSET)
        .path("items")
        .forEach(pods::add);
    return pods;
  }

  /** Waits for exactly one Ready daemon Pod (not terminating) and returns it. */
  public JsonNode readyDaemonPod(Duration timeout) {
    List<JsonNode> ready =
        await("one Ready " + DAEMONSET + " Pod")
            .atMost(timeout)
            .pollInterval(CLUSTER_POLL)
            .ignoreExceptions()
            .until(
                () ->
                    daemonPods().stream()
                        .filter(p -> p.path("metadata").path("deletionTimestamp").isMissingNode())
                        .filter(SpiderpoolRelease::isReady)
                        .toList(),
                l -> l.size() == 1);
    return ready.get(0);
  }

  /** The Lease holder, or "" when none. */
  public String leaseHolder() {
    Command.Outcome out =
        cluster.kubectl(
            "-n", NAMESPACE, "get", "lease", LEASE, "-o", "jsonpath={.spec.holderIdentity}");
    return out.ok() ? out.stdout().trim() : "";
  }

  public static boolean isReady(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  /** What to look at when an install fails: Pods, events, the daemon's log. */
  public String diagnostics() {
    StringBuilder b = new StringBuilder("--- pods\n");
    b.append(cluster.kubectl("get", "pods", "-A", "-o", "wide").stdout());
    b.append("--- events\n")
        .append(
            cluster.kubectl("-n", NAMESPACE, "get", "events", "--sort-by=.lastTimestamp").stdout());
    b.append("--- daemon log\n")
        .append(
            cluster
                .kubectl(
                    "-n",
                    NAMESPACE,
                    "logs",
                    "daemonset/" + DAEMONSET,
                    "--all-containers",
                    "--tail=80")
                .stdout());
    return b.toString();
  }
}
