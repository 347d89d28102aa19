// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.service.ipam.EngineSettings;
import io.spiderpool.service.ipam.PoolCommitter;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many nodes, one pool, on the real API server (docs/architecture.md, "Contention"): eight daemons'
 * allocation engines, each with its own client, watch cache and group-commit lanes, overfill one
 * SpiderIPPool at once. Contention alone never fails an allocation while the pool has room; exactly
 * the pool's size succeeds, no address twice, and the rest hear the pool is full.
 */
@ExtendWith(ControlPlaneExtension.class)
class PoolContentionIT {
  private static final int NODES = 8;
  private static final int POOL_SIZE = 120;
  private static final int REQUESTS = 192;

  private static KubernetesClient admin;
  private static final List<KubernetesClient> clients = new ArrayList<>();
  private static final List<KubernetesIpam> nodes = new ArrayList<>();

  @BeforeAll
  static void start(LocalControlPlane cp) {
    admin = cp.client();
    for (int i = 0; i < NODES; i++) {
      KubernetesClient c = cp.newClient();
      clients.add(c);
      nodes.add(new KubernetesIpam(c, EngineSettings.defaults(ClusterConfig.DEFAULTS)));
    }
  }

  @AfterAll
  static void stop() {
    nodes.forEach(KubernetesIpam::close);
    clients.forEach(KubernetesClient::close);
  }

  @Test
  void eightNodesOverfillingOnePoolFailOnlyWhenItIsFull() throws Exception {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName("contended-v4");
    SpiderIPPoolSpec s = new SpiderIPPoolSpec();
    s.setSubnet("10.77.0.0/24");
    s.setIpVersion(4L);
    s.setIps(List.of("10.77.0.1-10.77.0." + POOL_SIZE));
    p.setSpec(s);
    admin.resource(p).create();
    await("the pool in every node's watch cache")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> nodes.stream().allMatch(n -> n.knowsPool("contended-v4")));

    ExecutorService threads = Executors.newFixedThreadPool(64);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<IpAddress>> calls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      PoolCommitter node = nodes.get(i % NODES).committer();
      String uid = "uid-" + i;
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return node.<IpAddress>submit(
                        "contended-v4",
                        true,
                        state -> {
                          PoolState.Allocated a = state.allocate("ns/" + uid, uid, Set.of());
                          return new PoolCommitter.Applied<>(a.ip(), a.next());
                        })
                    .join();
              },
              threads));
    }
    go.countDown();
    List<IpAddress> given = new ArrayList<>();
    List<Throwable> refused = new ArrayList<>();
    for (CompletableFuture<IpAddress> c : calls) {
      try {
        given.add(c.get());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        refused.add(cause instanceof CompletionException ce ? ce.getCause() : cause);
      }
    }
    threads.shutdown();

    long conflicts = nodes.stream().mapToLong(n -> n.committer().conflicts()).sum();
    long writes = nodes.stream().mapToLong(n -> n.committer().writes()).sum();
    System.err.printf(
        "%d nodes, %d requests, %d-address pool: %d pool writes, %d conflicts%n",
        NODES, REQUESTS, POOL_SIZE, writes, conflicts);
    assertThat(refused)
        .as("only exhaustion refuses an allocation")
        .allSatisfy(t -> assertThat(t).isInstanceOf(PoolExhaustedException.class))
        .hasSize(REQUESTS - POOL_SIZE);
    assertThat(given).hasSize(POOL_SIZE).doesNotHaveDuplicates();
    SpiderIPPool stored = admin.resources(SpiderIPPool.class).withName("contended-v4").get();
    PoolRecords records = PoolRecords.parse(stored.getStatus().getAllocatedIPs());
    Map<IpAddress, String> owners =
        records.asMap().entrySet().stream()
            .collect(
                Collectors.toMap(e -> IpAddress.parse(e.getKey()), e -> e.getValue().podUid()));
    assertThat(owners.keySet()).containsExactlyInAnyOrderElementsOf(given);
    assertThat(owners.values()).doesNotHaveDuplicates();
    assertThat(stored.getStatus().getAllocatedIPCount()).isEqualTo((long) POOL_SIZE);
    assertThat(records.asMap().values()).extracting(PoolRecord::podUid).hasSize(POOL_SIZE);
  }
}
