// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * @param metricsEnabled whether the metrics port is opened at all ({@code SPIDERPOOL_ENABLED_METRIC})
 * @param configPath conf.yml of ConfigMap {@code spiderpool-conf}; null: chart defaults
 * @param maxAllocatedIps cap of address records per pool ({@code SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS})
 * @param logLevel Spiderpool's level name: debug, info, warn, error, fatal or panic
 * @param releaseConflictIps whether batch release may honour {@code isReleaseConflictIPs}
 * @param multusClusterNetwork {@code MULTUS_CLUSTER_NETWORK}, {@code ns/name} of Multus' cluster
 *     network, or null
 * @param healthAddress where the probe port listens ({@code SPIDERPOOL_HEALTH_ADDRESS}); null:
 *     the loopback address of an enabled family, see {@link #healthBindAddress}
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
  public DaemonSettings(Path kubeconfig, String nodeName, String podName, String podNamespace, Path socket,
      int healthPort, int metricsPort, boolean metricsEnabled, Path configPath, int maxAllocatedIps, String logLevel,
      boolean releaseConflictIps, String multusClusterNetwork) {
    this(kubeconfig, nodeName, podName, podNamespace, socket, healthPort, metricsPort, metricsEnabled, configPath,
        maxAllocatedIps, logLevel, releaseConflictIps, multusClusterNetwork, null, LOOPBACK_V4);
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

  static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error", "fatal", "panic");

  /**
   * Resolves options against the environment. Every bad or missing value is reported in one
   * error, each naming where the value came from and what a valid one looks like.
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

  private static DaemonSettings resolve(DaemonOptions o, Map<String, String> env, boolean agent, int healthDefault,
      int metricsDefault) {
    Source s = new Source(env);
    String node = s.text(o.nodeName(), "--node-name", ENV_NODE_NAME);
    if (node == null && !agent) {
      node = "";
    }
    if (node == null) {
      s.problems.add("the node name is required: pass --node-name or set " + ENV_NODE_NAME
          + " (the DaemonSet sets it from spec.nodeName)");
    }
    String level = s.text(null, null, ENV_LOG_LEVEL);
    if (level == null) {
      level = "info";
    } else if (!LOG_LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      s.problems.add(ENV_LOG_LEVEL + "=" + level + " is not a log level: write one of "
          + String.join(", ", LOG_LEVELS));
    }
    DaemonSettings settings = new DaemonSettings(
        path(s.text(o.kubeconfig(), "--kubeconfig", null)),
        node,
        orEmpty(s.text(o.podName(), "--pod-name", ENV_POD_NAME)),
        orEmpty(s.text(o.podNamespace(), "--pod-namespace", ENV_POD_NAMESPACE)),
        path(s.text(o.socket(), "--socket", null)),
        s.port(o.healthPort(), "--health-port", ENV_HEALTH_PORT, healthDefault),
        s.port(o.metricsPort(), "--metrics-port", ENV_METRIC_PORT, metricsDefault),
        s.bool(o.enableMetric(), "--enable-metric", ENV_ENABLED_METRIC, false),
        path(s.text(o.configPath(), "--config", null)),
        s.positive(null, null, ENV_MAX_ALLOCATED_IPS, 5000),
        level.toLowerCase(Locale.ROOT),
        s.bool(null, null, ENV_RELEASE_CONFLICT_IPS, true),
        s.text(null, null, ENV_MULTUS_CLUSTER_NETWORK),
        s.address(o.healthAddress(), "--health-address", ENV_HEALTH_ADDRESS, null),
        s.address(o.metricsAddress(), "--metrics-address", ENV_METRIC_ADDRESS,
            s.address(null, null, ENV_POD_IP, LOOPBACK_V4)));
    if (!s.problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", s.problems));
    }
    return settings;
  }

  /**
   * The namespace Spiderpool runs in, where a bare {@code multusName} points: the daemon's own,
   * or {@code kube-system} outside a Pod.
   */
  public String agentNamespace() {
    return podNamespace.isEmpty() ? "kube-system" : podNamespace;
  }

  /**
   * Who this process is in the controller role's Lease: the Pod name (Spiderpool's identity),
   * or {@code <node>-<pid>} outside a Pod.
   */
  public String leaseIdentity() {
    String host = nodeName.isEmpty() ? "spiderpool-controller" : nodeName;
    return podName.isEmpty() ? host + "-" + ProcessHandle.current().pid() : podName;
  }

  /**
   * Where the probe port listens: the configured address, else loopback — 127.0.0.1, or ::1 when
   * IPv4 is disabled in conf.yml (as Spiderpool binds its probes). The kubelet probes a
   * hostNetwork Pod from the node itself, so the chart's probes name this address as their host.
   */
  public String healthBindAddress(boolean ipv4Enabled) {
    return healthAddress != null ? healthAddress : ipv4Enabled ? LOOPBACK_V4 : LOOPBACK_V6;
  }

  /** The agent socket: {@code --socket}, else conf.yml's {@code ipamUnixSocketPath}. */
  public Path socketPath(String fromConfig) {
    return socket != null ? socket : Path.of(fromConfig);
  }

  private static Path path(String text) {
    return text == null ? null : Path.of(text);
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  /** Looks values up and collects what is wrong with them. */
  private static final class Source {
    final Map<String, String> env;
    final List<String> problems = new ArrayList<>();

    Source(Map<String, String> env) {
      this.env = env;
    }

    /** The option, else the variable; blank counts as unset, as in the Go agent. */
    String text(String option, String optionName, String envName) {
      if (option != null && !option.isBlank()) {
        return option.trim();
      }
      String v = envName == null ? null : env.get(envName);
      return v == null || v.isBlank() ? null : v.trim();
    }

    private String origin(String option, String optionName, String envName) {
      return option != null && !option.isBlank() ? optionName : envName;
    }

    int port(String option, String optionName, String envName, int dflt) {
      String text = text(option, optionName, envName);
      if (text == null) {
        return dflt;
      }
      try {
        int p = Integer.parseInt(text);
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(origin(option, optionName, envName) + "=" + text
          + " is not a TCP port: write a number from 1 to 65535 (0 picks a free one)");
      return dflt;
    }

    int positive(String option, String optionName, String envName, int dflt) {
      String text = text(option, optionName, envName);
      if (text == null) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(text);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(origin(option, optionName, envName) + "=" + text
          + " must be a positive integer (default " + dflt + ")");
      return dflt;
    }

    /** An IP literal to bind to ({@code 0.0.0.0} or {@code ::} bind every address). */
    String address(String option, String optionName, String envName, String dflt) {
      String text = text(option, optionName, envName);
      if (text == null) {
        return dflt;
      }
      if (IpAddress.tryParse(text) == null) {
        problems.add(origin(option, optionName, envName) + "=" + text + " is not an IP address to listen on:"
            + " write one of the node's addresses, 127.0.0.1, or 0.0.0.0 for all");
        return dflt;
      }
      return text;
    }

    boolean bool(String option, String optionName, String envName, boolean dflt) {
      String text = text(option, optionName, envName);
      if (text == null) {
        return dflt;
      }
      Boolean b = GoBool.tryParse(text);
      if (b == null) {
        problems.add(origin(option, optionName, envName) + "=" + text
            + " is not a boolean: write true or false");
        return dflt;
      }
      return b;
    }
  }
}
