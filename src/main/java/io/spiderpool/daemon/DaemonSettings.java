// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static io.spiderpool.core.settings.SettingsReader.option;
import static io.spiderpool.core.settings.SettingsReader.variable;

import io.spiderpool.core.settings.SettingsReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the node daemon is told at start, typed. Each value comes from its option, else from
 * the environment variable Spiderpool's agent reads (so the upstream DaemonSet manifest works
 * unchanged), else from Spiderpool's default.
 *
 * @param kubeconfig {@code --kubeconfig}; null: {@code KUBECONFIG}, then in-cluster
 * @param nodeName this node; required ({@code SPIDERPOOL_NODE_NAME} from the downward API)
 * @param podName the daemon's own Pod, "" outside a Pod
 * @param podNamespace the daemon's own namespace, "" outside a Pod
 * @param socket {@code --socket}; null: {@code ipamUnixSocketPath} of conf.yml
 * @param healthPort TCP port of the probes; 0 picks a free port (tests)
 * @param metricsPort TCP port of {@code /metrics}; 0 picks a free port
 * @param metricsEnabled whether the metrics port is opened at all ({@code
 *     SPIDERPOOL_ENABLED_METRIC})
 * @param configPath conf.yml of ConfigMap {@code spiderpool-conf}; null: chart defaults
 * @param maxAllocatedIps cap of address records per pool ({@code
 *     SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS})
 * @param logLevel Spiderpool's level name: debug, info, warn, error, fatal or panic
 * @param releaseConflictIps whether batch release may honour {@code isReleaseConflictIPs}
 * @param multusClusterNetwork {@code MULTUS_CLUSTER_NETWORK}, {@code ns/name} of Multus' cluster
 *     network, or null
 * @param healthAddress where the probe port listens ({@code SPIDERPOOL_HEALTH_ADDRESS}); null: the
 *     loopback address of an enabled family, see {@link #healthBindAddress}
 * @param metricsAddress where the metrics port listens ({@code SPIDERPOOL_METRIC_HTTP_ADDRESS},
 *     else the Pod's IP {@code SPIDERPOOL_POD_IP}, else 127.0.0.1)
 */
public record DaemonSettings(
    Path kubeconfig,
    String nodeName,
    String podName,
    String podNamespace,
    Path socket,
    int healthPort,
    int metricsPort,
    boolean metricsEnabled,
    Path configPath,
    int maxAllocatedIps,
    String logLevel,
    boolean releaseConflictIps,
    String multusClusterNetwork,
    String healthAddress,
    String metricsAddress) {

  /** The settings as before bind addresses could be chosen: probes and metrics on loopback. */
  public DaemonSettings(
      Path kubeconfig,
      String nodeName,
      String podName,
      String podNamespace,
      Path socket,
      int healthPort,
      int metricsPort,
      boolean metricsEnabled,
      Path configPath,
      int maxAllocatedIps,
      String logLevel,
      boolean releaseConflictIps,
      String multusClusterNetwork) {
    this(
        kubeconfig,
        nodeName,
        podName,
        podNamespace,
        socket,
        healthPort,
        metricsPort,
        metricsEnabled,
        configPath,
        maxAllocatedIps,
        logLevel,
        releaseConflictIps,
        multusClusterNetwork,
        null,
        LOOPBACK_V4);
  }

  public static final String ENV_NODE_NAME = "SPIDERPOOL_NODE_NAME";
  public static final String ENV_POD_NAME = "SPIDERPOOL_POD_NAME";
  public static final String ENV_POD_NAMESPACE = "SPIDERPOOL_POD_NAMESPACE";
  public static final String ENV_HEALTH_PORT = "SPIDERPOOL_HEALTH_PORT";
  public static final String ENV_METRIC_PORT = "SPIDERPOOL_METRIC_HTTP_PORT";
  public static final String ENV_ENABLED_METRIC = "SPIDERPOOL_ENABLED_METRIC";
  public static final String ENV_MAX_ALLOCATED_IPS = "SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS";
  public static final String ENV_LOG_LEVEL = "SPIDERPOOL_LOG_LEVEL";
  public static final String ENV_RELEASE_CONFLICT_IPS = "SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS";
  public static final String ENV_MULTUS_CLUSTER_NETWORK = "MULTUS_CLUSTER_NETWORK";
  public static final String ENV_HEALTH_ADDRESS = "SPIDERPOOL_HEALTH_ADDRESS";
  public static final String ENV_METRIC_ADDRESS = "SPIDERPOOL_METRIC_HTTP_ADDRESS";

  /** The Pod's own IP (downward API {@code status.podIP}; the node's IP with hostNetwork). */
  public static final String ENV_POD_IP = "SPIDERPOOL_POD_IP";

  public static final String LOOPBACK_V4 = "127.0.0.1";
  public static final String LOOPBACK_V6 = "::1";

  static final List<String> LOG_LEVELS =
      List.of("debug", "info", "warn", "error", "fatal", "panic");

  /**
   * Resolves options against the environment. Every bad or missing value is reported in one error,
   * each naming where the value came from and what a valid one looks like.
   */
  public static DaemonSettings resolve(DaemonOptions o, Map<String, String> env) {
    return resolve(o, env, true, 5710, 5711);
  }

  /**
   * The settings of the stand-alone {@code controller}: no node of its own (the name is "" when
   * unset), and Spiderpool's controller ports 5720 (probes) and 5721 (metrics) by default.
   */
  public static DaemonSettings resolveController(DaemonOptions o, Map<String, String> env) {
    return resolve(o, env, false, 5720, 5721);
  }

  private static DaemonSettings resolve(
      DaemonOptions o,
      Map<String, String> env,
      boolean agent,
      int healthDefault,
      int metricsDefault) {
    return SettingsReader.resolve(
        env,
        r ->
            new DaemonSettings(
                r.path(option("--kubeconfig", o.kubeconfig(), null), "a kubeconfig file", null),
                agent
                    ? r.required(
                        option("--node-name", o.nodeName(), ENV_NODE_NAME),
                        "the node name",
                        "this node's name",
                        " (the DaemonSet sets it from spec.nodeName)")
                    : r.text(
                        option("--node-name", o.nodeName(), ENV_NODE_NAME), "this node's name", ""),
                r.text(
                    option("--pod-name", o.podName(), ENV_POD_NAME), "the daemon's Pod name", ""),
                r.text(
                    option("--pod-namespace", o.podNamespace(), ENV_POD_NAMESPACE),
                    "the daemon's namespace",
                    ""),
                r.path(option("--socket", o.socket(), null), "a unix socket path", null),
                r.port(option("--health-port", o.healthPort(), ENV_HEALTH_PORT), healthDefault),
                r.port(option("--metrics-port", o.metricsPort(), ENV_METRIC_PORT), metricsDefault),
                r.bool(option("--enable-metric", o.enableMetric(), ENV_ENABLED_METRIC), false),
                r.path(option("--config", o.configPath(), null), "the path of conf.yml", null),
                r.wholeNumber(variable(ENV_MAX_ALLOCATED_IPS), 1, 5000),
                r.oneOf(variable(ENV_LOG_LEVEL), "a log level", LOG_LEVELS, "info"),
                r.bool(variable(ENV_RELEASE_CONFLICT_IPS), true),
                r.text(variable(ENV_MULTUS_CLUSTER_NETWORK), "ns/name", null),
                r.address(option("--health-address", o.healthAddress(), ENV_HEALTH_ADDRESS), null),
                r.address(
                    option("--metrics-address", o.metricsAddress(), ENV_METRIC_ADDRESS),
                    r.address(variable(ENV_POD_IP), LOOPBACK_V4))));
  }

  /**
   * The namespace Spiderpool runs in, where a bare {@code multusName} points: the daemon's own, or
   * {@code kube-system} outside a Pod.
   */
  public String agentNamespace() {
    return podNamespace.isEmpty() ? "kube-system" : podNamespace;
  }

  /**
   * Who this process is in the controller role's Lease: the Pod name (Spiderpool's identity), or
   * {@code <node>-<pid>} outside a Pod.
   */
  public String leaseIdentity() {
    String host = nodeName.isEmpty() ? "spiderpool-controller" : nodeName;
    return podName.isEmpty() ? host + "-" + ProcessHandle.current().pid() : podName;
  }

  /**
   * Where the probe port listens: the configured address, else loopback — 127.0.0.1, or ::1 when
   * IPv4 is disabled in conf.yml (as Spiderpool binds its probes). The kubelet probes a hostNetwork
   * Pod from the node itself, so the chart's probes name this address as their host.
   */
  public String healthBindAddress(boolean ipv4Enabled) {
    return healthAddress != null ? healthAddress : ipv4Enabled ? LOOPBACK_V4 : LOOPBACK_V6;
  }

  /** The agent socket: {@code --socket}, else conf.yml's {@code ipamUnixSocketPath}. */
  public Path socketPath(String fromConfig) {
    return socket != null ? socket : Path.of(fromConfig);
  }
}
