// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 100 Pods created at once, half on each node, all into one pool of exactly 100 addresses: every
 * Pod gets an address, no address twice, the pool holds exactly 100 records, and records, endpoints
 * and the addresses inside the namespaces agree. The two daemons race on one pool object, which is
 * what the optimistic-concurrency retry has to survive.
 *
 * <p>ADDs run {@code -Dspiderpool.e2e.parallelism} (default 16) at a time, since each is a plugin
 * JVM; a failed ADD is retried up to twice, as the kubelet would, and the retries are reported.
 */
@ExtendWith(ControlPlaneExtension.class)
class ConcurrentAllocationE2E {
  private static final String NS = "e2e-burst";
  private static final String POOL = "burst-v4";
  private static final int PODS = 100;
  private static TwoNodes cluster;
  private static ClusterFixtures fx;

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.69.0.0/24", List.of("10.69.0.10-10.69.0.109"), "10.69.0.1", s -> {});
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
  void hundredPodsAcrossTwoNodesGetHundredDistinctAddresses() throws Exception {
    int parallelism = Integer.getInteger("spiderpool.e2e.parallelism", 16);
    List<Pod> pods = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    List<PodSandbox> sandboxes = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger retries = new AtomicInteger();
    try {
      List<Future<Pod>> created = new ArrayList<>();
      for (int i = 0; i < PODS; i++) {
        String node = TwoNodes.NODES.get(i % 2);
        String name = "burst-" + i;
        created.add(
            pool.submit(
                () -> fx.createRunning(ClusterFixtures.pod(NS, name, node).label("app", "burst"))));
      }
      for (Future<Pod> f : created) {
        pods.add(f.get());
      }
      List<Future<CniResult>> adds = new ArrayList<>();
      for (Pod p : pods) {
        NetConf conf = cluster.bridge(p.getSpec().getNodeName(), List.of(POOL), List.of());
        PodSandbox sb = PodSandbox.of(p, cluster.runtime());
        sandboxes.add(sb);
        adds.add(
            pool.submit(
                () -> {
                  Command.Outcome o = sb.add(conf, "eth0");
                  for (int attempt = 1; !o.ok() && attempt < 3; attempt++) {
                    retries.incrementAndGet();
                    o = sb.add(conf, "eth0");
                  }
                  if (!o.ok()) {
                    throw new AssertionError(
                        "ADD of " + sb.ref() + " failed 3 times: " + o.describe());
                  }
                  CniResult r = CniResult.parse(o.stdout());
                  KernelView.assertMatches(sb.netns(), "eth0", r);
                  return r;
                }));
      }
      List<PoolConsistency.Observed> observed = new ArrayList<>();
      HashSet<String> distinct = new HashSet<>();
      for (int i = 0; i < adds.size(); i++) {
        CniResult r = adds.get(i).get();
        Pod p = sandboxes.get(i).pod();
        String ip = r.addresses(4).get(0).split("/")[0];
        distinct.add(ip);
        observed.add(
            new PoolConsistency.Observed(
                NS, p.getMetadata().getName(), p.getMetadata().getUid(), ip));
      }
      System.err.printf("%d pods: %d ADD retries%n", PODS, retries.get());
      assertThat(distinct).as("distinct addresses").hasSize(PODS);
      PoolConsistency pc = new PoolConsistency(cluster.client());
      assertThat(pc.records(POOL)).as("records in %s", POOL).hasSize(PODS);
      assertThat(pc.violations(List.of(POOL), List.of(NS), observed)).isEmpty();

      // all gone at once: every DEL succeeds and the pool ends empty
      List<Future<Command.Outcome>> dels = new ArrayList<>();
      for (PodSandbox sb : sandboxes) {
        dels.add(
            pool.submit(
                () -> {
                  fx.deleteNow(sb.pod());
                  return sb.del(
                      cluster.bridge(sb.pod().getSpec().getNodeName(), List.of(POOL), List.of()),
                      "eth0");
                }));
      }
      for (Future<Command.Outcome> f : dels) {
        Command.Outcome o = f.get();
        assertThat(o.ok()).as(o.describe()).isTrue();
      }
      assertThat(pc.records(POOL)).as("records left in %s", POOL).isEmpty();
    } finally {
      pool.shutdownNow();
      sandboxes.forEach(PodSandbox::close);
    }
  }
}
