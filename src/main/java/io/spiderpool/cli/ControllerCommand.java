// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.spiderpool.controller.election.ElectionSettings;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.daemon.ConfFile;
import io.spiderpool.daemon.DaemonOptions;
import io.spiderpool.daemon.DaemonSettings;
import io.spiderpool.daemon.KubeClientFactory;
import io.spiderpool.daemon.RoleHost;
import io.spiderpool.daemon.probe.TcpEndpoint;
import io.spiderpool.daemon.probe.TcpEndpoint.Reply;
import io.spiderpool.metrics.PrometheusScrape;
import io.spiderpool.webhook.WebhookServer;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spiderpool controller}: the controller role and the admission webhooks without the node
 * agent, for clusters that keep the role off the nodes (set {@code
 * SPIDERPOOL_CONTROLLER_ROLE_ENABLED=false} in the daemons then). Every replica serves the webhooks
 * and campaigns, whatever its node; one holds the role. Probes on {@code SPIDERPOOL_HEALTH_PORT}
 * (5720) as Spiderpool's controller: startup when serving, readiness when the webhooks answer and
 * some replica holds the role, liveness when the webhooks answer. With {@code
 * SPIDERPOOL_ENABLED_METRIC=true}, {@code /metrics} on {@code SPIDERPOOL_METRIC_HTTP_PORT} (5721):
 * the controller metrics of docs/metrics.md, the role's gauges only while this replica holds it.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the leader-elected controller role (IP GC, pool status, finalizers) and the",
      "admission webhooks, without the node agent. Options override Spiderpool's environment."
    })
public class ControllerCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(ControllerCommand.class.getName());

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "kubeconfig file (default: KUBECONFIG, ~/.kube/config, then in-cluster)")
  String kubeconfig;

  @Option(
      names = "--pod-name",
      description = "this replica's Pod: the Lease identity (env SPIDERPOOL_POD_NAME)")
  String podName;

  @Option(
      names = "--pod-namespace",
      description = "its namespace: the Lease's (env SPIDERPOOL_POD_NAMESPACE)")
  String podNamespace;

  @Option(
      names = {"--config", "--config-path"},
      paramLabel = "FILE",
      description = "conf.yml of ConfigMap spiderpool-conf (default: the chart's values)")
  String configPath;

  @Option(names = "--health-port", description = "probe port (env SPIDERPOOL_HEALTH_PORT; 5720)")
  String healthPort;

  @Option(
      names = "--health-address",
      paramLabel = "IP",
      description = "probe address (env SPIDERPOOL_HEALTH_ADDRESS; 127.0.0.1, ::1 without IPv4)")
  String healthAddress;

  @Option(
      names = "--metrics-port",
      description = "metrics port (env SPIDERPOOL_METRIC_HTTP_PORT; 5721)")
  String metricsPort;

  @Mixin MetricsOptions metricsOptions;

  @Mixin Webhooks.Options webhookOptions;

  @Inject Instance<KubernetesClient> kubernetes;
  @Inject StopBeforeShutdown stopping;
  @Inject SubnetMetrics subnetMetrics;
  @Inject ControllerMetrics controllerMetrics;
  @Inject PrometheusScrape prometheus;

  @Override
  public Integer call() {
    DaemonSettings settings;
    ClusterConfig config;
    RoleSettings roles;
    Map<String, String> env = System.getenv();
    try {
      settings =
          DaemonSettings.resolveController(
              new DaemonOptions(
                  kubeconfig,
                  null,
                  podName,
                  podNamespace,
                  null,
                  healthPort,
                  metricsPort,
                  metricsOptions.enableMetric,
                  configPath,
                  healthAddress,
                  metricsOptions.metricsAddress),
              env);
      LogLevels.apply(settings.logLevel());
      config = ConfFile.load(settings.configPath());
      KubeClientFactory.checkKubeconfig(settings.kubeconfig());
      roles = RoleSettings.resolve(env, settings, webhookOptions, true);
    } catch (InvalidInputException e) {
      System.err.println("spiderpool controller: " + e.getMessage());
      return DaemonCommand.EXIT_CONFIG;
    }
    KubernetesClient client = kubernetes.get();
    try {
      KubeClientFactory.awaitApiServer(client, 15, Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      System.err.println("spiderpool controller: cannot start: " + e.getMessage());
      return DaemonCommand.EXIT_START;
    }
    ElectionSettings election = roles.election();
    try (WebhookServer webhooks = Webhooks.start(roles.webhook(), client, config);
        RoleHost role =
            stopping.register(
                RoleHost.start(
                    client,
                    election,
                    null,
                    fence ->
                        ControllerRoles.create(
                            client, config, roles.gc(), fence, subnetMetrics, controllerMetrics)));
        TcpEndpoint probes =
            TcpEndpoint.start(
                "health",
                settings.healthBindAddress(config.enableIpv4()),
                settings.healthPort(),
                Map.of(
                    "/v1/runtime/startup", () -> Reply.status(200),
                    "/v1/runtime/readiness",
                        () -> Reply.status(role.knownLeader().isEmpty() ? 500 : 200),
                    "/v1/runtime/liveness", (Supplier<Reply>) () -> Reply.status(200)));
        TcpEndpoint metrics =
            settings.metricsEnabled()
                ? TcpEndpoint.start(
                    "metrics",
                    settings.metricsAddress(),
                    settings.metricsPort(),
                    Map.of("/metrics", () -> Reply.prometheus(prometheus.scrape())))
                : null) {
      LOG.info(
          "controller "
              + election.identity()
              + " running: webhooks "
              + (webhooks == null ? "off" : "on :" + webhooks.port())
              + ", probes on "
              + probes.address().getAddress().getHostAddress()
              + ":"
              + probes.port()
              + (metrics != null
                  ? ", metrics on "
                      + metrics.address().getAddress().getHostAddress()
                      + ":"
                      + metrics.port()
                  : " (metrics disabled)")
              + ", campaigning on Lease "
              + election.leaseNamespace()
              + "/"
              + election.leaseName());
      Quarkus.waitForExit();
      LOG.info("stopping: ending the controller role and releasing its Lease");
      return 0;
    } catch (Exception e) {
      System.err.println(
          "spiderpool controller: cannot start: " + (e.getMessage() != null ? e.getMessage() : e));
      LOG.log(Level.FINE, "start-up failure", e);
      return DaemonCommand.EXIT_START;
    }
  }
}
