// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spiderpool.testing.e2e.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The one-node cluster of {@code hack/cluster-up.sh}: real etcd, kube-apiserver (Node,RBAC),
 * kube-controller-manager, kube-scheduler and kubelet, containerd and runc from Debian, the node in
 * a network namespace of its own. Everything that talks to it runs inside that namespace ({@code
 * nsenter --net}): kubectl, helm, crictl. Started once per test run by {@link ClusterExtension};
 * stopped by {@code hack/cluster-down.sh}, whose logs are kept in {@code target/cluster-e2e-logs}.
 */
public final class OneNodeCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

  private final Path stateDir;
  private final Properties env;
  private final Duration startTime;
  private boolean stopped;

  private OneNodeCluster(Path stateDir, Properties env, Duration startTime) {
    this.stateDir = stateDir;
    this.env = env;
    this.startTime = startTime;
  }

  /**
   * Starts a cluster in {@code stateDir} and network namespace {@code netns}, with these images
   * imported.
   */
  public static OneNodeCluster start(Path stateDir, String netns, List<Path> images) {
    long t0 = System.nanoTime();
    StringBuilder archives = new StringBuilder();
    images.forEach(i -> archives.append(i.toAbsolutePath()).append(' '));
    Command.Outcome up =
        Command.run(
            List.of("hack/cluster-up.sh"),
            Map.of(
                "SPIDERPOOL_CLUSTER_DIR",
                stateDir.toString(),
                "SPIDERPOOL_CLUSTER_NETNS",
                netns,
                "SPIDERPOOL_CLUSTER_IMAGES",
                archives.toString().trim()),
            "",
            START_TIMEOUT);
    if (!up.ok()) {
      throw new AssertionError("hack/cluster-up.sh failed:\n" + up.describe());
    }
    Properties env = new Properties();
    try (InputStream in = Files.newInputStream(stateDir.resolve("cluster.env"))) {
      env.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "hack/cluster-up.sh succeeded but wrote no cluster.env in " + stateDir, e);
    }
    OneNodeCluster cluster =
        new OneNodeCluster(stateDir, env, Duration.ofNanos(System.nanoTime() - t0));
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "spiderpool-cluster-stop"));
    System.err.printf(
        "one-node cluster ready in %.1f s (cluster-up.sh: %s s; state in %s)%n%s%n",
        cluster.startTime.toMillis() / 1000.0,
        env.getProperty("SPIDERPOOL_CLUSTER_START_SECONDS"),
        stateDir,
        up.stderr());
    return cluster;
  }

  /** A value cluster-up.sh wrote to cluster.env. */
  public String property(String key) {
    String v = env.getProperty(key);
    if (v == null) {
      throw new IllegalStateException(key + " missing from " + stateDir.resolve("cluster.env"));
    }
    return v;
  }

  public Duration startTime() {
    return startTime;
  }

  public String netns() {
    return property("SPIDERPOOL_CLUSTER_NETNS");
  }

  public Path cniBinDir() {
    return Path.of(property("SPIDERPOOL_CLUSTER_CNI_BIN_DIR"));
  }

  public Path auditLog() {
    return Path.of(property("SPIDERPOOL_CLUSTER_AUDIT_LOG"));
  }

  /** Runs a command inside the node's network namespace. */
  public Command.Outcome inNode(List<String> argv, Duration timeout) {
    List<String> full = new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + netns()));
    full.addAll(argv);
    return Command.run(full, Map.of(), "", timeout);
  }

  /** kubectl as cluster admin; the outcome, whatever the exit code. */
  public Command.Outcome kubectl(String... args) {
    return kubectlWithInput("", args);
  }

  /** kubectl as cluster admin with {@code stdin} (e.g. {@code apply -f -}). */
  public Command.Outcome kubectlWithInput(String stdin, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--net=/var/run/netns/" + netns(),
                property("SPIDERPOOL_CLUSTER_KUBECTL"),
                "--kubeconfig",
                property("SPIDERPOOL_CLUSTER_KUBECONFIG")));
    argv.addAll(List.of(args));
    return Command.run(argv, Map.of(), stdin, COMMAND_TIMEOUT);
  }

  /** kubectl that must succeed, its stdout parsed as JSON ({@code -o json} is added). */
  public JsonNode json(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("-o");
    a.add("json");
    String out = kubectl(a.toArray(String[]::new)).orThrow().stdout();
    try {
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "kubectl " + String.join(" ", args) + " printed no JSON: " + out, e);
    }
  }

  /** helm against this cluster; the outcome, whatever the exit code. */
  public Command.Outcome helm(Duration timeout, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--net=/var/run/netns/" + netns(),
                property("SPIDERPOOL_CLUSTER_HELM"),
                "--kubeconfig",
                property("SPIDERPOOL_CLUSTER_KUBECONFIG")));
    argv.addAll(List.of(args));
    return Command.run(
        argv,
        Map.of(
            "HELM_CACHE_HOME",
            stateDir.resolve("helm/cache").toString(),
            "HELM_CONFIG_HOME",
            stateDir.resolve("helm/config").toString(),
            "HELM_DATA_HOME",
            stateDir.resolve("helm/data").toString()),
        "",
        timeout);
  }

  /** crictl against this cluster's containerd. */
  public Command.Outcome crictl(String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                property("SPIDERPOOL_CLUSTER_CRICTL"),
                "--runtime-endpoint",
                "unix://" + property("SPIDERPOOL_CLUSTER_CONTAINERD_SOCKET")));
    argv.addAll(List.of(args));
    return inNode(argv, COMMAND_TIMEOUT);
  }

  /** Stops the cluster; its logs go to target/cluster-e2e-logs. Idempotent. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    Command.Outcome down =
        Command.run(
            List.of("hack/cluster-down.sh", "--keep-logs"),
            Map.of("SPIDERPOOL_CLUSTER_DIR", stateDir.toString()),
            "",
            Duration.ofMinutes(3));
    Path kept = Path.of("target/cluster-e2e-logs");
    try {
      copyTree(stateDir.resolve("logs"), kept.resolve("logs"));
      copyTree(stateDir.resolve("audit"), kept.resolve("audit"));
      deleteTree(stateDir);
    } catch (IOException e) {
      System.err.println("could not keep the cluster logs: " + e);
    }
    if (!down.ok()) {
      System.err.println("hack/cluster-down.sh failed:\n" + down.describe());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(f)) {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
