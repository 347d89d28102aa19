// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.testing.e2e.FaultBurst.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The course of a fault test around one burst of ADDs on both nodes into one IPv4 pool of a /24
 * (docs/reliability.md, "Faults"): Pods created, the burst started (plugin processes through the
 * bridge plugin and agent-socket requests, alternating between the nodes), the test's fault struck
 * meanwhile, then the runtime's part — failed ADDs retried (up to three attempts, a plugin ADD
 * after a DEL of its sandbox), some abandoned (Pod deleted, no DEL) — and the oracle: the abandoned
 * Pods' records freed by the GC, every live Pod's last answer recorded for it with its endpoint, no
 * address twice, {@code allocatedIPCount} exact ({@link PoolConsistency}) and {@code spiderpool
 * check}'s checker clean. Then a change of the pool (its lowest free addresses excluded) that both
 * daemons' next ADDs must obey, and DEL of everything, which must leave the pool empty.
 */
public final class BurstRun implements AutoCloseable {
  private final TwoNodes cluster;
  private final ClusterFixtures fx;
  private final String ns;
  private final String pool;
  private final String prefix;
  private final PoolConsistency pc;
  private final ExecutorService plugins = Executors.newFixedThreadPool(8);
  private final ExecutorService sockets = Executors.newFixedThreadPool(32);
  private final List<Pod> pods = new ArrayList<>();
  private final Map<String, PodSandbox> sandboxes = new HashMap<>();
  private final Map<String, String> nodeOf = new HashMap<>();
  private final Map<String, Outcome> last = new LinkedHashMap<>();
  private final Set<String> abandoned = new HashSet<>();
  private List<Future<Outcome>> burst = List.of();

  /**
   * A run in namespace {@code ns} (created by the caller) on {@code pool}, whose addresses are
   * {@code prefix + "2"} to {@code prefix + "254"} (the caller creates it with {@code fx}).
   */
  public BurstRun(TwoNodes cluster, ClusterFixtures fx, String ns, String pool, String prefix) {
    this.cluster = cluster;
    this.fx = fx;
    this.ns = ns;
    this.pool = pool;
    this.prefix = prefix;
    this.pc = new PoolConsistency(cluster.client());
  }

  /** The checker this run reads the pool with. */
  public PoolConsistency consistency() {
    return pc;
  }

  /** Creates {@code plugin + socket} running Pods, alternately on node-a and node-b. */
  public void createPods(int plugin, int socket) throws Exception {
    List<Future<Pod>> created = new ArrayList<>();
    for (int i = 0; i < plugin + socket; i++) {
      String name = (i < plugin ? "plug-" : "sock-") + i;
      String node = TwoNodes.NODES.get(i % 2);
      nodeOf.put(name, node);
      created.add(sockets.submit(() -> fx.createRunning(ClusterFixtures.pod(ns, name, node))));
    }
    for (int i = 0; i < created.size(); i++) {
      Pod p = created.get(i).get();
      pods.add(p);
      if (i < plugin) {
        sandboxes.put(p.getMetadata().getName(), PodSandbox.of(p, cluster.runtime()));
      }
    }
  }

  /** Submits every Pod's ADD at once; returns without waiting for any. */
  public void startBurst() {
    List<Future<Outcome>> f = new ArrayList<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      f.add(submitAdd(p, nodeOf.get(name), false));
    }
    burst = f;
  }

  private Future<Outcome> submitAdd(Pod p, String node, boolean retry) {
    ExecutorService on = sandboxes.containsKey(p.getMetadata().getName()) ? plugins : sockets;
    return on.submit(() -> addNow(p, node, retry));
  }

  private Outcome addNow(Pod p, String node, boolean retry) {
    PodSandbox sb = sandboxes.get(p.getMetadata().getName());
    if (sb != null) {
      return retry
          ? FaultBurst.pluginRetry(cluster, node, sb, pool)
          : FaultBurst.pluginAdd(cluster, node, sb, pool);
    }
    return FaultBurst.socketAdd(cluster, node, p, pool);
  }

  /** Waits until {@code n} records are in the pool: the burst is under way. */
  public void awaitRecords(int n) {
    await(n + " allocations written to " + pool)
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> pc.records(pool).size() >= n);
  }

  /** Every ADD of the burst, once it answered. */
  public List<Outcome> collect() throws InterruptedException, ExecutionException {
    List<Outcome> out = new ArrayList<>();
    for (Future<Outcome> f : burst) {
      Outcome o = f.get();
      out.add(o);
      last.put(o.name(), o);
    }
    return out;
  }

  /** What {@link #retryOrAbandon} did. */
  public record Recovery(int retried, int attempts, int abandoned) {}

  /**
   * The runtime's part: the first {@code abandon} failed Pods are deleted without a DEL, every
   * other failed ADD is retried up to three times and must then succeed.
   */
  public Recovery retryOrAbandon(int abandon) throws Exception {
    List<Future<FaultBurst.Retried>> retried = new ArrayList<>();
    List<Pod> toDelete = new ArrayList<>();
    for (Outcome o : List.copyOf(last.values())) {
      if (o.ok()) {
        continue;
      }
      if (toDelete.size() < abandon) {
        toDelete.add(o.pod());
        abandoned.add(ns + "/" + o.name());
        continue;
      }
      ExecutorService on = sandboxes.containsKey(o.name()) ? plugins : sockets;
      retried.add(on.submit(() -> FaultBurst.retry(() -> addNow(o.pod(), o.node(), true))));
    }
    for (Pod p : toDelete) {
      fx.deleteNow(p);
    }
    int attempts = 0;
    for (Future<FaultBurst.Retried> f : retried) {
      FaultBurst.Retried r = f.get();
      attempts += r.attempts();
      assertThat(r.outcome().failure()).as("retried ADD of %s", r.outcome().name()).isNull();
      last.put(r.outcome().name(), r.outcome());
    }
    return new Recovery(retried.size(), attempts, toDelete.size());
  }

  /** The Pods alive now with the address each was last answered. */
  public List<PoolConsistency.Observed> observed() {
    List<PoolConsistency.Observed> out = new ArrayList<>();
    for (Outcome o : last.values()) {
      if (o.ok() && !abandoned.contains(ns + "/" + o.name())) {
        out.add(new PoolConsistency.Observed(ns, o.name(), o.pod().getMetadata().getUid(), o.ip()));
      }
    }
    return out;
  }

  /**
   * The oracle after the fault: the GC frees what the abandoned Pods hold (through its Pod watch,
   * well before its full scan), every live Pod's answer is recorded for it and its endpoint, one
   * record per live Pod, no address twice, the checker of {@code spiderpool check} clean.
   */
  public void assertConsistent(String when) {
    // the GC frees a dead Pod's records first and deletes its SpiderEndpoint afterwards, in the
    // background (docs/gc.md): a check between the two halves sees an endpoint without a record
    await("the GC frees whatever the abandoned Pods' failed ADDs wrote (" + when + ")")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(pc.records(pool).values())
                  .as("records of abandoned Pods")
                  .noneMatch(r -> abandoned.contains(r.pod()));
              assertThat(endpointsOf(abandoned)).as("endpoints of abandoned Pods").isEmpty();
            });
    List<PoolConsistency.Observed> observed = observed();
    int live = (int) last.keySet().stream().filter(n -> !abandoned.contains(ns + "/" + n)).count();
    assertThat(observed).as("live Pods with an address (%s)", when).hasSize(live);
    assertThat(observed.stream().map(PoolConsistency.Observed::ip).distinct())
        .as("distinct addresses (%s)", when)
        .hasSize(live);
    assertThat(pc.records(pool)).as("records in %s (%s)", pool, when).hasSize(live);
    assertThat(pc.violations(List.of(pool), List.of(ns), observed)).as(when).isEmpty();
    assertThat(FaultBurst.inconsistencies(cluster.client(), List.of(pool), ns))
        .as("spiderpool check %s", when)
        .isEmpty();
  }

  /**
   * Which of {@code pods} ({@code ns/name}) still have a SpiderEndpoint in this run's namespace.
   */
  private List<String> endpointsOf(Set<String> pods) {
    return cluster
        .client()
        .resources(SpiderEndpoint.class)
        .inNamespace(ns)
        .list()
        .getItems()
        .stream()
        .map(e -> ns + "/" + e.getMetadata().getName())
        .filter(pods::contains)
        .toList();
  }

  /**
   * Excludes the pool's {@code excluded} lowest free addresses, then ADDs {@code more} new Pods
   * (agent socket, alternating nodes): each must succeed at the first attempt with an address not
   * excluded — a daemon deciding from a cache older than the change would hand one out.
   */
  public void excludeThenAdd(int excluded, int more, String namePrefix) throws Exception {
    TreeSet<Integer> free = new TreeSet<>();
    for (int host = 2; host <= 254; host++) {
      free.add(host);
    }
    pc.records(pool)
        .keySet()
        .forEach(ip -> free.remove(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1))));
    List<String> gone = free.stream().limit(excluded).map(h -> prefix + h).toList();
    cluster
        .client()
        .resources(SpiderIPPool.class)
        .withName(pool)
        .edit(
            p -> {
              List<String> all = new ArrayList<>(gone);
              if (p.getSpec().getExcludeIPs() != null) {
                all.addAll(p.getSpec().getExcludeIPs());
              }
              p.getSpec().setExcludeIPs(all);
              return p;
            });
    List<Future<Outcome>> after = new ArrayList<>();
    for (int i = 0; i < more; i++) {
      String node = TwoNodes.NODES.get(i % 2);
      String name = namePrefix + i;
      nodeOf.put(name, node);
      Pod pod = fx.createRunning(ClusterFixtures.pod(ns, name, node));
      pods.add(pod);
      after.add(submitAdd(pod, node, false));
    }
    for (Future<Outcome> f : after) {
      Outcome o = f.get();
      assertThat(o.failure()).as("ADD of %s after the fault", o.name()).isNull();
      assertThat(gone).as("addresses excluded after the fault").doesNotContain(o.ip());
      last.put(o.name(), o);
    }
  }

  /** DEL of every live Pod (Pod deleted first): the pool must be left empty and consistent. */
  public void deleteAll() throws Exception {
    List<Future<Boolean>> dels = new ArrayList<>();
    for (Outcome o : last.values()) {
      if (abandoned.contains(ns + "/" + o.name())) {
        continue;
      }
      PodSandbox sb = sandboxes.get(o.name());
      dels.add(
          sockets.submit(
              () -> {
                fx.deleteNow(o.pod());
                if (sb != null) {
                  return sb.del(cluster.bridge(o.node(), List.of(pool), List.of()), "eth0").ok();
                }
                return FaultBurst.socketDel(cluster, o.node(), o.pod());
              }));
    }
    for (Future<Boolean> f : dels) {
      assertThat(f.get()).as("DEL").isTrue();
    }
    assertThat(pc.records(pool)).as("records left").isEmpty();
    assertThat(pc.violations(List.of(pool), List.of(ns), List.of())).isEmpty();
    assertThat(FaultBurst.inconsistencies(cluster.client(), List.of(pool), ns))
        .as("spiderpool check after DEL of all")
        .isEmpty();
  }

  @Override
  public void close() {
    plugins.shutdownNow();
    sockets.shutdownNow();
    sandboxes.values().forEach(PodSandbox::close);
  }
}
