// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.core.subnet.AutoPoolWait;
import io.spiderpool.daemon.ConfFile;
import io.spiderpool.daemon.DaemonOptions;
import io.spiderpool.daemon.DaemonSettings;
import io.spiderpool.daemon.IdleHeapTrim;
import io.spiderpool.daemon.KubeClientFactory;
import io.spiderpool.daemon.NodeDaemon;
import io.spiderpool.daemon.RoleHost;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.metrics.PrometheusScrape;
import io.spiderpool.service.ipam.EngineSettings;
import io.spiderpool.webhook.WebhookServer;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spiderpool daemon}: Spiderpool's agent. Options fall back to the agent's environment
 * variables, so the upstream DaemonSet works unchanged ({@link DaemonSettings}). Start order:
 * settings, conf.yml, API server, engine (its watch caches synced), unix socket, probes, metrics,
 * admission webhooks, then it campaigns for the controller role; it serves until SIGTERM/SIGINT,
 * when the role is stopped and its Lease released, the socket file removed and the watches stop.
 */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the node daemon: the IPAM API on a unix socket for the CNI plugin,",
      "health probes and Prometheus metrics on TCP. Options override Spiderpool's environment."
    })
public class DaemonCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(DaemonCommand.class.getName());
  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 1;

  /**
   * The idle heap trim: checked every 5 s, a full GC after 15 s without change once the old
   * generation grew by 4 MiB (docs/performance.md, "Memory of a node daemon").
   */
  static final Duration TRIM_PERIOD = Duration.ofSeconds(5);

  static final int TRIM_QUIET_CHECKS = 3;
  static final long TRIM_GROWTH = 4L << 20;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "kubeconfig file (default: KUBECONFIG, ~/.kube/config, then in-cluster)")
  String kubeconfig;

  @Option(names = "--node-name", description = "this node (env SPIDERPOOL_NODE_NAME; required)")
  String nodeName;

  @Option(names = "--pod-name", description = "the daemon's Pod (env SPIDERPOOL_POD_NAME)")
  String podName;

  @Option(
      names = "--pod-namespace",
      description = "the daemon's namespace (env SPIDERPOOL_POD_NAMESPACE)")
  String podNamespace;

  @Option(
      names = {"--config", "--config-path"},
      paramLabel = "FILE",
      description = "conf.yml of ConfigMap spiderpool-conf (default: the chart's values)")
  String configPath;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "agent unix socket"
              + " (default: conf.yml ipamUnixSocketPath, else "
              + ClusterConfig.DEFAULT_SOCKET_PATH
              + ")")
  String socket;

  @Option(names = "--health-port", description = "probe port (env SPIDERPOOL_HEALTH_PORT; 5710)")
  String healthPort;

  @Option(
      names = "--metrics-port",
      description = "metrics port (env SPIDERPOOL_METRIC_HTTP_PORT; 5711)")
  String metricsPort;

  @Option(
      names = "--health-address",
      paramLabel = "IP",
      description = "probe address (env SPIDERPOOL_HEALTH_ADDRESS; 127.0.0.1, ::1 without IPv4)")
  String healthAddress;

  @Mixin MetricsOptions metricsOptions;

  @Mixin Webhooks.Options webhookOptions;

  /** Lazy: picocli builds every subcommand, and only this one needs a client. */
  @Inject Instance<KubernetesClient> kubernetes;

  @Inject StopBeforeShutdown stopping;

  /**
   * Lazy: picocli builds every subcommand, and the agent's meters must not appear in the scrape of
   * {@code spiderpool controller} (docs/metrics.md).
   */
  @Inject Instance<IpamMetrics> agentMetrics;

  @Inject SubnetMetrics subnetMetrics;
  @Inject ControllerMetrics controllerMetrics;
  @Inject PrometheusScrape prometheus;

  @Override
  public Integer call() {
    DaemonSettings settings;
    ClusterConfig config;
    try {
      settings =
          DaemonSettings.resolve(
              new DaemonOptions(
                  kubeconfig,
                  nodeName,
                  podName,
                  podNamespace,
                  socket,
                  healthPort,
                  metricsPort,
                  metricsOptions.enableMetric,
                  configPath,
                  healthAddress,
                  metricsOptions.metricsAddress),
              System.getenv());
      LogLevels.apply(settings.logLevel());
      config = ConfFile.load(settings.configPath());
      KubeClientFactory.checkKubeconfig(settings.kubeconfig());
    } catch (InvalidInputException e) {
      System.err.println("spiderpool daemon: " + e.getMessage());
      return EXIT_CONFIG;
    }
    RoleSettings roles;
    AutoPoolWait autoPoolWait;
    try {
      roles = RoleSettings.resolve(System.getenv(), settings, webhookOptions, false);
      autoPoolWait = AutoPoolWait.resolve(System.getenv());
    } catch (InvalidInputException e) {
      System.err.println("spiderpool daemon: " + e.getMessage());
      return EXIT_CONFIG;
    }
    KubernetesClient client = kubernetes.get();
    IpamMetrics metrics = agentMetrics.get();
    try (KubernetesIpam engine = startEngine(client, settings, config, autoPoolWait, metrics);
        NodeDaemon daemon =
            new NodeDaemon(
                    settings,
                    settings.socketPath(config.ipamUnixSocketPath()),
                    engine.engine(),
                    metrics,
                    prometheus::scrape,
                    config.enableIpv4())
                .start();
        WebhookServer webhooks = Webhooks.start(roles.webhook(), client, config);
        RoleHost role =
            stopping.register(
                RoleHost.start(
                    client,
                    roles.election(),
                    settings.nodeName(),
                    fence ->
                        ControllerRoles.create(
                            client, config, roles.gc(), fence, subnetMetrics, controllerMetrics)));
        IdleHeapTrim trim =
            IdleHeapTrim.start(
                TRIM_PERIOD, new IdleHeapTrim.Policy(TRIM_GROWTH, TRIM_QUIET_CHECKS))) {
      Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "spiderpool-daemon-stop"));
      Quarkus.waitForExit();
      LOG.info("stopping: closing " + daemon.socketPath());
      return 0;
    } catch (Exception e) {
      System.err.println(
          "spiderpool daemon: cannot start: " + (e.getMessage() != null ? e.getMessage() : e));
      LOG.log(Level.FINE, "start-up failure", e);
      return EXIT_START;
    }
  }

  private KubernetesIpam startEngine(
      KubernetesClient client,
      DaemonSettings settings,
      ClusterConfig config,
      AutoPoolWait autoPoolWait,
      IpamMetrics metrics) {
    KubeClientFactory.awaitApiServer(client, 15, Duration.ofSeconds(2));
    return new KubernetesIpam(
        client,
        new EngineSettings(
            config,
            settings.agentNamespace(),
            settings.multusClusterNetwork(),
            settings.maxAllocatedIps(),
            settings.releaseConflictIps(),
            settings.nodeName()),
        metrics,
        autoPoolWait);
  }
}
