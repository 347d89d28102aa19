// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static io.spiderpool.testing.Waits.PROCESS_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.GcFixture;
import io.spiderpool.testing.Http;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged {@code spiderpool controller} replicas with {@code --enable-metric}, scraped live
 * (docs/metrics.md): every scrape passes {@code promtool check metrics}; the replica holding the
 * role exports Spiderpool's controller metric names with the pool's real size, the other none of
 * the role's gauges; a leaked record planted in a pool is freed by the holder's IP GC and its GC
 * counter and the pool's available-address gauge move.
 */
@ExtendWith(ControlPlaneExtension.class)
class ControllerMetricsIT {
  private static final String LEASE = "controller-metrics-it";
  private static final String POOL = "metrics-it-v4";

  @TempDir Path dir;

  @Test
  void theHolderExportsSpiderpoolsControllerMetricsAndTheGcCountersMove(LocalControlPlane cp)
      throws Exception {
    KubernetesClient admin = cp.client();
    try (GcFixture fx = new GcFixture(admin, "metrics-it");
        Replica a = Replica.start(cp, dir, "spiderpool-controller-m1");
        Replica b = Replica.start(cp, dir, "spiderpool-controller-m2")) {
      fx.pool(POOL, "10.61.0.0/24", List.of("10.61.0.10-10.61.0.29"), List.of("10.61.0.29"));
      a.awaitMetrics();
      b.awaitMetrics();
      await("one replica holds the Lease")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(() -> holder(admin) != null);
      Replica holder = holder(admin).equals(a.name) ? a : b;
      Replica other = holder == a ? b : a;

      await("the holder reports " + POOL + " with its 19 addresses")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(() -> value(holder.scrape(), "spiderpool_debug_ippool_total_ip_counts", POOL, 19));
      String held = holder.scrape();
      promtoolAccepts(held);
      for (String name :
          List.of(
              "spiderpool_ip_gc_counts_total",
              "spiderpool_ip_gc_failure_counts_total",
              "spiderpool_ipam_release_update_ippool_conflict_counts_total",
              "spiderpool_total_ippool_counts",
              "spiderpool_total_subnet_counts",
              "spiderpool_debug_ippool_total_ip_counts",
              "spiderpool_debug_ippool_available_ip_counts",
              "spiderpool_controller_role_holder")) {
        assertThat(held).as("the holder's scrape").contains("\n" + name);
      }
      assertThat(sample(held, "spiderpool_controller_role_holder", null)).hasValue(1);
      assertThat(sample(held, "spiderpool_total_ippool_counts", null).orElseThrow())
          .isGreaterThanOrEqualTo(1);
      assertThat(held)
          .as("a controller serves no agent metrics")
          .doesNotContain("spiderpool_ipam_allocation_counts");

      String idle = other.scrape();
      promtoolAccepts(idle);
      assertThat(sample(idle, "spiderpool_controller_role_holder", null)).hasValue(0);
      assertThat(idle)
          .as("a replica without the role reports no pools or subnets")
          .doesNotContain("spiderpool_total_ippool_counts")
          .doesNotContain("spiderpool_total_subnet_counts")
          .doesNotContain("SpiderIPPool=");
      assertThat(sample(idle, "spiderpool_ip_gc_counts_total", null)).hasValue(0);

      double gcBefore = sample(held, "spiderpool_ip_gc_counts_total", null).orElseThrow();
      // a leaked record: allocated as an agent's ADD does, then its Pod deleted without any DEL
      Pod p = fx.runningPod("leaky", GcFixture.READY_NODE, null);
      String ip = fx.allocate(p, POOL);
      await("the holder's gauge counts the allocation")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(
              () ->
                  value(holder.scrape(), "spiderpool_debug_ippool_available_ip_counts", POOL, 18));
      fx.deletePod("leaky", 0);
      await(ip + " released by the holder's IP GC")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(() -> !fx.holds(POOL, ip));
      await("the GC counter and the available addresses move")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .untilAsserted(
              () -> {
                String now = holder.scrape();
                assertThat(sample(now, "spiderpool_ip_gc_counts_total", null).orElseThrow())
                    .isEqualTo(gcBefore + 1);
                assertThat(sample(now, "spiderpool_ip_gc_failure_counts_total", null)).hasValue(0);
                assertThat(sample(now, "spiderpool_debug_ippool_available_ip_counts", POOL))
                    .hasValue(19);
              });
      promtoolAccepts(holder.scrape());
      assertThat(sample(other.scrape(), "spiderpool_ip_gc_counts_total", null))
          .as("only the holder collected")
          .hasValue(0);
    } finally {
      admin.leases().inNamespace("kube-system").withName(LEASE).delete();
    }
  }

  private static String holder(KubernetesClient admin) {
    var lease = admin.leases().inNamespace("kube-system").withName(LEASE).get();
    String h = lease == null ? null : lease.getSpec().getHolderIdentity();
    return h == null || h.isEmpty() ? null : h;
  }

  private static boolean value(String scrape, String name, String pool, double expected) {
    OptionalDouble v = sample(scrape, name, pool);
    return v.isPresent() && v.getAsDouble() == expected;
  }

  /** The value of {@code name} (labelled {@code SpiderIPPool=pool} unless null) in a scrape. */
  static OptionalDouble sample(String scrape, String name, String pool) {
    String labels = pool == null ? "" : "\\{SpiderIPPool=\"" + Pattern.quote(pool) + "\",?\\}";
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + labels + " (\\S+)$").matcher(scrape);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  private static final String CAMEL_CASE_LABEL =
      "label names should be written in 'snake_case' not 'camelCase'";

  /**
   * promtool's lint findings accepted on a scrape, each for a reason (docs/metrics.md):
   * Spiderpool's label names {@code SpiderIPPool}/{@code SpiderSubnet}, which its dashboards use,
   * and two names Micrometer's standard processor meters have everywhere. Any other finding fails
   * the test.
   */
  static final Set<String> ACCEPTED_LINT =
      Set.of(
          "spiderpool_debug_ippool_total_ip_counts " + CAMEL_CASE_LABEL,
          "spiderpool_debug_ippool_available_ip_counts " + CAMEL_CASE_LABEL,
          "spiderpool_debug_subnet_ippool_counts " + CAMEL_CASE_LABEL,
          "spiderpool_debug_subnet_total_ip_counts " + CAMEL_CASE_LABEL,
          "spiderpool_debug_subnet_available_ip_counts " + CAMEL_CASE_LABEL,
          "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix",
          "process_cpu_time_ns_total metric names should not contain abbreviated units");

  /**
   * {@code promtool check metrics} on a scrape: Prometheus' own parser (exit status 1 on anything
   * it cannot parse) and linter (status 3 with its findings, which must all be accepted ones).
   * Without promtool this fails (hack/setup.sh installs Debian's prometheus package); it never
   * skips.
   */
  static void promtoolAccepts(String scrape) {
    Command.Outcome check;
    try {
      check =
          Command.run(
              List.of("promtool", "check", "metrics"), Map.of(), scrape, Duration.ofSeconds(60));
    } catch (UncheckedIOException e) {
      throw new AssertionError(
          "promtool is required to check the metrics and cannot be run: install Debian's"
              + " prometheus package (hack/setup.sh does)",
          e);
    }
    assertThat(check.exitCode()).as(check.describe()).isIn(0, 3);
    List<String> findings =
        (check.stdout() + "\n" + check.stderr())
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .toList();
    assertThat(findings).as(check.describe()).isSubsetOf(ACCEPTED_LINT);
    assertThat(check.exitCode() == 3).as(check.describe()).isEqualTo(!findings.isEmpty());
  }

  /** One {@code spiderpool controller} process with metrics on a free port. */
  private static final class Replica implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;
    final int metrics;

    private Replica(String name, Process process, Path log, int metrics) {
      this.name = name;
      this.process = process;
      this.log = log;
      this.metrics = metrics;
    }

    static Replica start(LocalControlPlane cp, Path dir, String name) throws IOException {
      int metrics = freePort();
      Path log = dir.resolve(name + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  "java",
                  "-jar",
                  "target/quarkus-app/quarkus-run.jar",
                  "controller",
                  "--kubeconfig",
                  cp.kubeconfig().toString(),
                  "--pod-name",
                  name,
                  "--pod-namespace",
                  "kube-system",
                  "--health-port",
                  String.valueOf(freePort()),
                  "--webhook-port",
                  String.valueOf(freePort()),
                  "--tls-server-cert",
                  cp.property("SPIDERPOOL_CP_WEBHOOK_CRT"),
                  "--tls-server-key",
                  cp.property("SPIDERPOOL_CP_WEBHOOK_KEY"),
                  "--enable-metric",
                  "--metrics-port",
                  String.valueOf(metrics),
                  "--metrics-address",
                  "127.0.0.1")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("SPIDERPOOL_LEADER_LEASE_NAME", LEASE);
      return new Replica(name, pb.start(), log, metrics);
    }

    void awaitMetrics() throws IOException {
      try {
        await(name + "'s metrics port answers")
            .atMost(PROCESS_START)
            .pollInterval(Duration.ofMillis(200))
            .failFast(name + " exited", () -> !process.isAlive())
            .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
            .untilAsserted(() -> Http.on(metrics).get("/metrics").then().statusCode(200));
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        throw new AssertionError(e.getMessage() + "; log:\n" + Files.readString(log), e);
      }
    }

    String scrape() {
      return Http.on(metrics).get("/metrics").then().statusCode(200).extract().asString();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(name + " did not stop within 30 s of SIGTERM");
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
