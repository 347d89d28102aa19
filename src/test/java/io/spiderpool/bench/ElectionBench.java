// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.election.CuttableLeaseApi;
import io.spiderpool.controller.election.ElectionSettings;
import io.spiderpool.controller.election.KubernetesLeaseApi;
import io.spiderpool.controller.election.LeaseElector;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * How long the controller role is without a holder when its holder goes away, on the local control
 * plane. The integration tests assert only the bounds the design gives; these are the figures.
 *
 * <ul>
 *   <li>{@code cut}: two in-process candidates with short timings (lease 3 s, renew deadline 2 s,
 *       retry 0.5 s); the holder's Lease requests start hanging, as for a partitioned node. Per
 *       round: cut → the holder's fence closed, cut → the other's fence open; then the holder
 *       closes gracefully and the time until the other's fence opens.
 *   <li>{@code process}: two packaged daemons with Spiderpool's timings (lease 15 s, retry 2 s);
 *       the holder is killed with SIGKILL, then the time until the other holds the Lease; then that
 *       one stops with SIGTERM, and the time until the Lease is released.
 * </ul>
 */
public final class ElectionBench {
  private static final String NS = "kube-system";
  private static final Duration POLL = Duration.ofMillis(5);

  private ElectionBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "both";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-electionbench-");
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      System.out.printf(
          "%nElection on %s, %d rounds, %d cores, %s%n",
          cp.serverUrl(), rounds, Runtime.getRuntime().availableProcessors(), Runtime.version());
      if (!mode.equals("process")) {
        cut(cp.client(), rounds);
      }
      if (!mode.equals("cut")) {
        process(cp, state, rounds);
      }
    }
    System.exit(0); // fabric8's dispatcher threads would keep the JVM alive
  }

  private static final LeaseElector.Role NO_ROLE =
      new LeaseElector.Role() {
        @Override
        public void start() {}

        @Override
        public void stop() {}
      };

  private static LeaseElector candidate(
      KubernetesClient client, String lease, String id, boolean cuttable, CuttableLeaseApi[] api) {
    ElectionSettings s =
        new ElectionSettings(
            true,
            lease,
            NS,
            id,
            Duration.ofSeconds(3),
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            Duration.ofMillis(200),
            LabelSelector.EVERYTHING);
    KubernetesLeaseApi real = new KubernetesLeaseApi(client, NS, lease);
    if (cuttable) {
      api[0] = new CuttableLeaseApi(real);
    }
    return new LeaseElector(cuttable ? api[0] : real, s, NO_ROLE, LeaseElector.Eligibility.ALWAYS)
        .start();
  }

  private static long nanosUntil(String what, Duration max, Callable<Boolean> condition) {
    long t0 = System.nanoTime();
    await(what).atMost(max).pollInterval(POLL).until(condition);
    return System.nanoTime() - t0;
  }

  private static void cut(KubernetesClient client, int rounds) {
    long[] fence = new long[rounds];
    long[] takeover = new long[rounds];
    long[] release = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      String lease = "election-bench-" + r;
      CuttableLeaseApi[] api = new CuttableLeaseApi[1];
      LeaseElector a = candidate(client, lease, "bench-a", true, api);
      nanosUntil("a holds the role", Duration.ofSeconds(30), a::fence);
      LeaseElector b = candidate(client, lease, "bench-b", false, null);
      nanosUntil("b has seen a", Duration.ofSeconds(30), () -> "bench-a".equals(b.knownLeader()));
      api[0].cut();
      long cutAt = System.nanoTime();
      fence[r] = nanosUntil("a's fence closes", Duration.ofSeconds(30), () -> !a.fence());
      nanosUntil("b takes over", Duration.ofSeconds(30), b::fence);
      takeover[r] = System.nanoTime() - cutAt;
      api[0].restore();
      a.close();

      LeaseElector c = candidate(client, lease, "bench-c", false, null);
      nanosUntil("c has seen b", Duration.ofSeconds(30), () -> "bench-b".equals(c.knownLeader()));
      long closing = System.nanoTime();
      b.close();
      nanosUntil("c takes the released Lease", Duration.ofSeconds(30), c::fence);
      release[r] = System.nanoTime() - closing;
      c.close();
      client.leases().inNamespace(NS).withName(lease).delete();
    }
    print("cut: holder cut off -> its fence closed", fence);
    print("cut: holder cut off -> the other holds the role", takeover);
    print("cut: holder closed -> the other holds the role", release);
  }

  private static String holder(KubernetesClient client, String lease) {
    Lease l = client.leases().inNamespace(NS).withName(lease).get();
    return l == null || l.getSpec().getHolderIdentity() == null
        ? ""
        : l.getSpec().getHolderIdentity();
  }

  private static void process(LocalControlPlane cp, Path state, int rounds) throws Exception {
    KubernetesClient client = cp.client();
    ClusterFixtures fx = new ClusterFixtures(client);
    long[] takeover = new long[rounds];
    long[] release = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      String lease = "failover-bench-" + r;
      Map<String, String> env =
          Map.of(ElectionSettings.ENV_LEASE_NAME, lease, "SPIDERPOOL_WEBHOOK_ENABLED", "false");
      try (DaemonProcess a = daemon(cp, state, fx, "bench-node-a", env);
          DaemonProcess b = daemon(cp, state, fx, "bench-node-b", env)) {
        String idA = "bench-node-a-" + a.pid();
        String idB = "bench-node-b-" + b.pid();
        nanosUntil(
            "a daemon holds the Lease",
            Duration.ofSeconds(60),
            () -> holder(client, lease).equals(idA) || holder(client, lease).equals(idB));
        boolean aLeads = holder(client, lease).equals(idA);
        DaemonProcess follower = aLeads ? b : a;
        String followerId = aLeads ? idB : idA;
        (aLeads ? a : b).kill();
        takeover[r] =
            nanosUntil(
                "the follower holds the Lease",
                Duration.ofSeconds(60),
                () -> holder(client, lease).equals(followerId));
        // a SIGTERM must meet a daemon that knows it holds the role, or there is nothing to release
        nanosUntil(
            "the follower has taken note",
            Duration.ofSeconds(30),
            () ->
                Files.readString(follower.log())
                    .contains(followerId + " holds the controller role"));
        long closing = System.nanoTime();
        follower.close();
        nanosUntil(
            "the Lease is released", Duration.ofSeconds(30), () -> holder(client, lease).isEmpty());
        release[r] = System.nanoTime() - closing;
      }
      client.leases().inNamespace(NS).withName(lease).delete();
    }
    print("process: holder killed (SIGKILL) -> the other holds the Lease", takeover);
    print("process: holder stopped (SIGTERM) -> the Lease is released", release);
  }

  private static DaemonProcess daemon(
      LocalControlPlane cp, Path state, ClusterFixtures fx, String node, Map<String, String> env)
      throws Exception {
    fx.node(node, Map.of());
    Path sock = state.resolve(node + ".sock");
    Path conf =
        Files.writeString(state.resolve(node + ".yml"), "ipamUnixSocketPath: " + sock + "\n");
    return DaemonProcess.start(cp.kubeconfig(), node, sock, conf, env, Duration.ofSeconds(120));
  }

  private static void print(String what, long[] nanos) {
    Latencies l = new Latencies(nanos);
    System.out.printf(
        "%-62s median %7.0f ms  max %7.0f ms  (%d rounds)%n",
        what, l.ms(50), l.ms(100), nanos.length);
  }
}
