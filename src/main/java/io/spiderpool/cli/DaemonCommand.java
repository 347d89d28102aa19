// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.ConfFile;
import io.spiderpool.daemon.DaemonContext;
import io.spiderpool.daemon.DaemonOptions;
import io.spiderpool.daemon.DaemonSettings;
import io.spiderpool.daemon.KubeClientFactory;
import io.spiderpool.daemon.NodeDaemon;
import io.spiderpool.metrics.PrometheusScrape;
import io.spiderpool.service.ipam.IpamService;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spiderpool daemon}: Spiderpool's agent. Options fall back to the agent's environment
 * variables, so the upstream DaemonSet works unchanged ({@link DaemonSettings}). Start order:
 * settings, conf.yml, API server, engine, unix socket, probes, metrics; then it serves until
 * SIGTERM/SIGINT, when the socket file is removed.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the node daemon: the IPAM API on a unix socket for the CNI plugin,",
      "health probes and Prometheus metrics on TCP. Options override Spiderpool's environment."})
public class DaemonCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(DaemonCommand.class.getName());
  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 1;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "kubeconfig file (default: KUBECONFIG, ~/.kube/config, then in-cluster)")
  String kubeconfig;
  @Option(names = "--node-name", description = "this node (env SPIDERPOOL_NODE_NAME; required)")
  String nodeName;
  @Option(names = "--pod-name", description = "the daemon's Pod (env SPIDERPOOL_POD_NAME)")
  String podName;
  @Option(names = "--pod-namespace", description = "the daemon's namespace (env SPIDERPOOL_POD_NAMESPACE)")
  String podNamespace;
  @Option(names = {"--config", "--config-path"}, paramLabel = "FILE",
      description = "conf.yml of ConfigMap spiderpool-conf (default: the chart's values)")
  String configPath;
  @Option(names = "--socket", paramLabel = "PATH", description = "agent unix socket"
      + " (default: conf.yml ipamUnixSocketPath, else " + ClusterConfig.DEFAULT_SOCKET_PATH + ")")
  String socket;
  @Option(names = "--health-port", description = "probe port (env SPIDERPOOL_HEALTH_PORT; 5710)")
  String healthPort;
  @Option(names = "--metrics-port", description = "metrics port (env SPIDERPOOL_METRIC_HTTP_PORT; 5711)")
  String metricsPort;
  @Option(names = "--enable-metric", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "serve /metrics on the metrics port (env SPIDERPOOL_ENABLED_METRIC; false)")
  String enableMetric;

  @Inject Instance<IpamService> ipam;
  @Inject Instance<KubernetesClient> kubernetes;
  @Inject IpamMetrics metrics;
  @Inject PrometheusScrape prometheus;
  @Inject DaemonContext context;

  @Override
  public Integer call() {
    DaemonSettings settings;
    ClusterConfig config;
    try {
      settings = DaemonSettings.resolve(new DaemonOptions(kubeconfig, nodeName, podName, podNamespace,
          socket, healthPort, metricsPort, enableMetric, configPath), System.getenv());
      LogLevels.apply(settings.logLevel());
      config = ConfFile.load(settings.configPath());
      KubeClientFactory.checkKubeconfig(settings.kubeconfig());
    } catch (InvalidInputException e) {
      System.err.println("spiderpool daemon: " + e.getMessage());
      return EXIT_CONFIG;
    }
    context.set(settings, config);
    try (NodeDaemon daemon = startDaemon(settings, config)) {
      Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "spiderpool-daemon-stop"));
      Quarkus.waitForExit();
      LOG.info("stopping: closing " + daemon.socketPath());
      return 0;
    } catch (Exception e) {
      System.err.println("spiderpool daemon: cannot start: " + e.getMessage());
      LOG.log(java.util.logging.Level.FINE, "start-up failure", e);
      return EXIT_START;
    }
  }

  private NodeDaemon startDaemon(DaemonSettings settings, ClusterConfig config) throws Exception {
    KubeClientFactory.awaitApiServer(kubernetes.get(), 15, Duration.ofSeconds(2));
    if (ipam.isUnsatisfied()) {
      throw new IllegalStateException("this build has no IPAM engine (no IpamService bean)");
    }
    return new NodeDaemon(settings, settings.socketPath(config.ipamUnixSocketPath()), ipam.get(),
        metrics, prometheus::scrape).start();
  }
}
