// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.election.ElectionSettings;
import io.spiderpool.daemon.DaemonSettings;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cluster an E2E class runs in: Node objects {@code node-a} (label {@code zone=a}) and {@code
 * node-b} ({@code zone=b}), one {@code spiderpool daemon} per node with its own socket, the macvlan
 * master and bridge in the root namespace, and a CNI bin dir whose {@code spiderpool} launches this
 * build's plugin ahead of Debian's plugins in {@code CNI_PATH}.
 *
 * <p>IP-conflict and gateway detection are off in {@code conf.yml}: nothing answers ARP for a
 * gateway here, and the probes would only add latency.
 */
public final class TwoNodes implements AutoCloseable {
  /** The nodes, in order. */
  public static final List<String> NODES = List.of("node-a", "node-b");

  /**
   * These nodes' daemons campaign for the controller role by matching this label: in the shared
   * control plane other tests' Nodes (without daemons) may come first by name, and with no node
   * matching only the first few Nodes' daemons would (docs/controller.md, "Who campaigns").
   */
  static final String CAMPAIGN_LABEL = "e2e.spiderpool.io/two-nodes";

  /** The daemons' environment: the campaign selector, and /metrics served on their port. */
  private static final Map<String, String> DAEMON_ENV =
      Map.of(
          ElectionSettings.ENV_NODE_SELECTOR,
          CAMPAIGN_LABEL,
          DaemonSettings.ENV_ENABLED_METRIC,
          "true");

  /**
   * CNI timeout: a JVM start under load plus the agent's own 100 s client timeout would be too
   * long.
   */
  public static final Duration CNI_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final HostLinks links;
  private final List<DaemonProcess> daemons;
  private final CniRuntime runtime;
  private final KubernetesClient client;
  private final Map<String, Path> kubeconfigs;

  private TwoNodes(
      Path dir,
      HostLinks links,
      List<DaemonProcess> daemons,
      CniRuntime runtime,
      KubernetesClient client,
      Map<String, Path> kubeconfigs) {
    this.dir = dir;
    this.links = links;
    this.daemons = new ArrayList<>(daemons);
    this.runtime = runtime;
    this.client = client;
    this.kubeconfigs = Map.copyOf(kubeconfigs);
  }

  /**
   * Checks the machine, creates the Node objects and the links, and starts both daemons against
   * {@code cp}. State (sockets, conf, plugin log) lives in a fresh directory under /tmp whose path
   * is short enough for a unix socket.
   */
  public static TwoNodes start(LocalControlPlane cp) {
    return start(cp, Map.of());
  }

  /**
   * As {@link #start(LocalControlPlane)}, with {@code conf.yml} keys set to other values (e.g.
   * {@code enableSpiderSubnet}).
   */
  public static TwoNodes start(LocalControlPlane cp, Map<String, String> confOverrides) {
    return start(cp, confOverrides, Map.of());
  }

  /**
   * As {@link #start(LocalControlPlane, Map)}, with the daemons of the nodes in {@code kubeconfigs}
   * reaching the API server through another kubeconfig (e.g. one naming a {@link TcpProxy}); the
   * others use the control plane's.
   */
  public static TwoNodes start(
      LocalControlPlane cp, Map<String, String> confOverrides, Map<String, Path> kubeconfigs) {
    E2ePreconditions.require();
    Map<String, Path> kubeconfigOf = new LinkedHashMap<>();
    for (String n : NODES) {
      kubeconfigOf.put(n, kubeconfigs.getOrDefault(n, cp.kubeconfig()));
    }
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("/tmp"), "sp-e2e-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KubernetesClient client = cp.client();
    ClusterFixtures fx = new ClusterFixtures(client);
    for (String n : NODES) {
      fx.node(
          n,
          Map.of(
              "zone",
              n.substring(n.length() - 1),
              "kubernetes.io/hostname",
              n,
              CAMPAIGN_LABEL,
              ""));
    }
    HostLinks links = HostLinks.create();
    List<DaemonProcess> started = new ArrayList<>();
    try {
      for (String n : NODES) {
        Path socket = dir.resolve(n + ".sock");
        Path conf = writeConf(dir.resolve(n + "-conf.yml"), socket, confOverrides);
        started.add(
            DaemonProcess.start(
                kubeconfigOf.get(n), n, socket, conf, DAEMON_ENV, Duration.ofSeconds(90)));
      }
    } catch (RuntimeException e) {
      started.forEach(DaemonProcess::close);
      links.close();
      deleteTree(dir);
      throw e;
    }
    Path bin = SpiderpoolBinary.installPlugin(dir.resolve("bin"));
    CniRuntime runtime = new CniRuntime(List.of(bin, CniRuntime.DEBIAN_PLUGINS), CNI_TIMEOUT);
    return new TwoNodes(dir, links, List.copyOf(started), runtime, client, kubeconfigOf);
  }

  private static Path writeConf(Path file, Path socket, Map<String, String> overrides) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("ipamUnixSocketPath", socket.toString());
    keys.put("enableIPv4", "true");
    keys.put("enableIPv6", "true");
    keys.put("enableStatefulSet", "true");
    keys.put("enableKubevirtStaticIP", "false");
    keys.put("enableSpiderSubnet", "false");
    keys.put("enableIPConflictDetection", "false");
    keys.put("enableGatewayDetection", "false");
    keys.putAll(overrides);
    StringBuilder yml = new StringBuilder();
    keys.forEach((k, v) -> yml.append(k).append(": ").append(v).append('\n'));
    try {
      return Files.writeString(file, yml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code node}'s daemon again (after {@link DaemonProcess#kill()}): same socket, same
   * {@code conf.yml}, as a DaemonSet would.
   */
  public synchronized DaemonProcess restart(String node) {
    int i = NODES.indexOf(node);
    DaemonProcess old = daemons.get(i);
    old.close();
    DaemonProcess fresh =
        DaemonProcess.start(
            kubeconfigs.get(node),
            node,
            old.socket(),
            dir.resolve(node + "-conf.yml"),
            DAEMON_ENV,
            Duration.ofSeconds(90));
    daemons.set(i, fresh);
    return fresh;
  }

  /** The daemon of {@code node}. */
  public synchronized DaemonProcess daemon(String node) {
    return daemons.get(NODES.indexOf(node));
  }

  /** Both daemons. */
  public synchronized List<DaemonProcess> daemons() {
    return List.copyOf(daemons);
  }

  /** The runtime whose {@code CNI_PATH} finds this build's {@code spiderpool} first. */
  public CniRuntime runtime() {
    return runtime;
  }

  /** The admin client. */
  public KubernetesClient client() {
    return client;
  }

  /** Where the plugin writes its log ({@code log_file_path}). */
  public Path pluginLog() {
    return DaemonProcess.LOG_DIR.toAbsolutePath().resolve("spiderpool-plugin.log");
  }

  /** The IPAM section pointing at {@code node}'s daemon, with CNI-level default pools. */
  public ObjectNode ipam(String node, List<String> v4, List<String> v6) {
    return NetConf.spiderpoolIpam(daemon(node).socket(), v4, v6, false, pluginLog());
  }

  /** macvlan over the shared master with Spiderpool IPAM for {@code node}. */
  public NetConf macvlan(String node, List<String> v4, List<String> v6) {
    return NetConf.macvlan("1.0.0", "macvlan-" + node, HostLinks.MASTER, ipam(node, v4, v6));
  }

  /** bridge on the shared bridge with Spiderpool IPAM for {@code node}. */
  public NetConf bridge(String node, List<String> v4, List<String> v6) {
    return NetConf.bridge("1.0.0", "bridge-" + node, HostLinks.BRIDGE, ipam(node, v4, v6));
  }

  /** Daemon log tails, for failure messages. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    for (DaemonProcess d : daemons) {
      b.append("=== ").append(d.log().toAbsolutePath()).append('\n').append(d.tail()).append('\n');
    }
    return b.toString();
  }

  /**
   * Stops the daemons by PID, removes the links and the state dir (logs are in target/e2e-logs).
   */
  @Override
  public void close() {
    daemons.forEach(DaemonProcess::close);
    links.close();
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }

  /** The state directory (sockets, confs, plugin launcher). */
  public Path dir() {
    return dir;
  }
}
