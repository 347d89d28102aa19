// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.testing.e2e.BurstRun;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.e2e.FaultBurst.Outcome;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 2 of docs/reliability.md: the kube-apiserver is killed (SIGKILL, so answers in flight are
 * lost) and started again on the same port and etcd in the middle of a burst of concurrent ADDs on
 * both nodes — 160 through the agent sockets, 40 as plugin processes. The daemons are not
 * restarted. Every ADD either answered an address or failed with a clear error; the failed ones are
 * retried as a runtime would, ten abandoned instead (Pod deleted, no DEL). Then: every answered
 * address is recorded for its Pod with its endpoint, no address twice, {@code allocatedIPCount}
 * exact ({@link PoolConsistency}, and {@code spiderpool check}'s checker clean); the abandoned
 * Pods' records are freed through the controller role's resumed Pod watch; and after the restart a
 * change of the pool (addresses excluded) is obeyed by both daemons' next ADDs, which all succeed
 * at the first attempt — no cache from before the restart decides an allocation.
 */
@ExtendWith(ControlPlaneExtension.class)
class ApiServerRestartFaultE2E {
  private static final String NS = "e2e-apirestart";
  private static final String POOL = "apirestart-v4";
  private static final int SOCKET_PODS = 160;
  private static final int PLUGIN_PODS = 40;
  private static final int ABANDONED = 10;
  private static final int AFTER_PODS = 40;
  private static final int EXCLUDED = 10;
  private static LocalControlPlane cp;
  private static TwoNodes cluster;
  private static ClusterFixtures fx;

  @BeforeAll
  static void cluster(LocalControlPlane controlPlane) {
    cp = controlPlane;
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.73.0.0/24", List.of("10.73.0.2-10.73.0.254"), "10.73.0.1", s -> {});
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aRestartedApiServerLeavesEveryAddAnsweredOnceAndNoStaleCacheDeciding() throws Exception {
    List<Long> pids = cluster.daemons().stream().map(DaemonProcess::pid).toList();
    try (BurstRun run = new BurstRun(cluster, fx, NS, POOL, "10.73.0.")) {
      run.createPods(PLUGIN_PODS, SOCKET_PODS);
      run.startBurst();
      run.awaitRecords(30);
      LocalControlPlane.Restart restart = cp.restartApiServer(true);

      List<Outcome> first = run.collect();
      long inFlight = first.stream().filter(o -> o.inFlightAt(restart.signalledNanos())).count();
      long spanning = first.stream().filter(o -> o.inFlightAt(restart.exitedNanos())).count();
      List<Outcome> failed = first.stream().filter(o -> !o.ok()).toList();
      System.err.printf(
          "kube-apiserver %d killed once 30 records were written, %d started in its place; gone"
              + " after %d ms, ready again after %d ms; %d ADDs in flight at the kill, %d still"
              + " in flight once it had exited; %d of %d failed%n",
          restart.oldPid(),
          restart.newPid(),
          restart.toExit().toMillis(),
          restart.downtime().toMillis(),
          inFlight,
          spanning,
          failed.size(),
          first.size());
      failed.stream().map(Outcome::failure).distinct().limit(8).forEach(System.err::println);
      assertThat(inFlight).as("ADDs in flight when the API server was killed").isPositive();
      assertThat(failed)
          .as("failed ADDs name the API server as the cause")
          .allSatisfy(o -> assertThat(o.failure()).contains("API server"));

      BurstRun.Recovery recovery = run.retryOrAbandon(ABANDONED);
      System.err.printf(
          "%d failed ADDs retried in %d attempts, %d abandoned%n",
          recovery.retried(), recovery.attempts(), recovery.abandoned());
      assertThat(cluster.daemons().stream().map(DaemonProcess::pid).toList())
          .as("the daemons were not restarted")
          .isEqualTo(pids);
      run.assertConsistent("after the restart");

      run.excludeThenAdd(EXCLUDED, AFTER_PODS, "after-");
      run.assertConsistent("after the ADDs that followed the restart");
      run.deleteAll();
    }
  }
}
