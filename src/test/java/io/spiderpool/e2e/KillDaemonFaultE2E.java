// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.k8s.check.ConsistencyChecker;
import io.spiderpool.k8s.check.ConsistencyReport;
import io.spiderpool.k8s.check.Inconsistency;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 1 of docs/reliability.md: {@code kill -9} of a node daemon in the middle of a burst of 220
 * concurrent ADDs on its node, through both transports — 100 plugin processes (the spool) and 120
 * agent-socket requests. The daemon is started again and every failed ADD retried, as a runtime
 * would; ten Pods whose ADD failed are instead deleted without a DEL (the runtime gave up). Then:
 * every failure before the restart was a clean one (plugin: one CNI error object, code 11; socket:
 * no answer or a non-200), every ADD that succeeded keeps its address, no address twice, records =
 * endpoints = answered addresses and {@code allocatedIPCount} exact ({@link PoolConsistency}), the
 * abandoned Pods hold nothing once the GC has seen them go, and after DEL of all the pool is empty;
 * {@code spiderpool check}'s checker finds nothing wrong either time.
 */
@ExtendWith(ControlPlaneExtension.class)
class KillDaemonFaultE2E {
  private static final String NS = "e2e-kill";
  private static final String POOL = "kill-v4";
  private static final String NODE = TwoNodes.NODES.get(0);
  private static final int PLUGIN_PODS = 100;
  private static final int SOCKET_PODS = 120;
  private static final int ABANDONED = 10;
  private static TwoNodes cluster;
  private static ClusterFixtures fx;

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.72.0.0/24", List.of("10.72.0.10-10.72.0.250"), "10.72.0.1", s -> {});
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

  /** One Pod's ADD: its address when it succeeded, else why not. */
  private record Outcome(Pod pod, String ip, String failure) {}

  private static String addBody(Pod p) {
    return "{\"containerID\":\"sock-"
        + p.getMetadata().getName()
        + "\",\"ifName\":\"eth0\",\"netNamespace\":\"/proc/1/ns/net\",\"podNamespace\":\""
        + NS
        + "\",\"podName\":\""
        + p.getMetadata().getName()
        + "\",\"podUID\":\""
        + p.getMetadata().getUid()
        + "\",\"defaultIPv4IPPool\":[\""
        + POOL
        + "\"]}";
  }

  private static Outcome socketAdd(Pod p) {
    try {
      AgentSocket.Response r =
          new AgentSocket(cluster.daemon(NODE).socket()).send("POST", "/v1/ipam/ip", addBody(p));
      if (r.status() != 200) {
        return new Outcome(p, null, "HTTP " + r.status() + " " + r.body());
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ips =
          (List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(r.body())).get("ips");
      return new Outcome(p, ((String) ips.get(0).get("address")).split("/")[0], null);
    } catch (IOException e) {
      return new Outcome(p, null, "socket: " + e);
    }
  }

  private static Outcome pluginAdd(PodSandbox sb) {
    NetConf conf = cluster.bridge(NODE, List.of(POOL), List.of());
    Command.Outcome o = sb.add(conf, "eth0");
    if (!o.ok()) {
      // a clean failure: exactly one CNI error object, "try again later"
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) JsonReader.parse(o.stdout());
      assertThat(error.get("code")).as(o.describe()).isEqualTo(11L);
      assertThat(o.stdout()).doesNotContain("Exception");
      return new Outcome(sb.pod(), null, "plugin: " + error.get("msg"));
    }
    return new Outcome(
        sb.pod(), CniResult.parse(o.stdout()).addresses(4).get(0).split("/")[0], null);
  }

  @Test
  void aDaemonKilledMidBurstLosesNothingAndDuplicatesNothing() throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(16);
    List<Future<Pod>> created = new ArrayList<>();
    for (int i = 0; i < PLUGIN_PODS + SOCKET_PODS; i++) {
      String name = (i < PLUGIN_PODS ? "plug-" : "sock-") + i;
      created.add(creators.submit(() -> fx.createRunning(ClusterFixtures.pod(NS, name, NODE))));
    }
    List<PodSandbox> sandboxes = new ArrayList<>();
    List<Pod> socketPods = new ArrayList<>();
    for (int i = 0; i < created.size(); i++) {
      Pod p = created.get(i).get();
      if (i < PLUGIN_PODS) {
        sandboxes.add(PodSandbox.of(p, cluster.runtime()));
      } else {
        socketPods.add(p);
      }
    }
    creators.shutdown();

    ExecutorService plugins = Executors.newFixedThreadPool(16);
    ExecutorService sockets = Executors.newFixedThreadPool(32);
    Map<String, PodSandbox> sandboxByPod = new ConcurrentHashMap<>();
    List<Future<Outcome>> burst = new ArrayList<>();
    try {
      for (PodSandbox sb : sandboxes) {
        sandboxByPod.put(sb.pod().getMetadata().getName(), sb);
        burst.add(plugins.submit(() -> pluginAdd(sb)));
      }
      for (Pod p : socketPods) {
        burst.add(sockets.submit(() -> socketAdd(p)));
      }
      PoolConsistency pc = new PoolConsistency(cluster.client());
      // mid-burst: some allocations are written, most are not
      await("the first 30 allocations written to " + POOL)
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(() -> pc.records(POOL).size() >= 30);
      long killedPid = cluster.daemon(NODE).pid();
      cluster.daemon(NODE).kill();

      List<Outcome> first = new ArrayList<>();
      for (Future<Outcome> f : burst) {
        first.add(f.get());
      }
      long failed = first.stream().filter(o -> o.ip() == null).count();
      System.err.printf(
          "daemon %d killed after %d records: %d of %d ADDs failed%n",
          killedPid, pc.records(POOL).size(), failed, first.size());
      assertThat(failed).as("ADDs cut by the kill").isPositive();

      cluster.restart(NODE);

      // the runtime retries what failed; ten Pods it gives up on and deletes without a DEL
      List<Pod> abandoned = new ArrayList<>();
      List<Future<Outcome>> retried = new ArrayList<>();
      Map<String, String> finalIp = new ConcurrentHashMap<>();
      for (Outcome o : first) {
        String name = o.pod().getMetadata().getName();
        if (o.ip() != null) {
          finalIp.put(name, o.ip());
        } else if (abandoned.size() < ABANDONED) {
          abandoned.add(o.pod());
        } else {
          PodSandbox sb = sandboxByPod.get(name);
          retried.add(
              sb != null
                  ? plugins.submit(() -> retry(() -> pluginRetry(sb)))
                  : sockets.submit(() -> retry(() -> socketAdd(o.pod()))));
        }
      }
      for (Pod p : abandoned) {
        fx.deleteNow(p);
      }
      for (Future<Outcome> f : retried) {
        Outcome o = f.get();
        assertThat(o.failure()).as("retried ADD of %s", o.pod().getMetadata().getName()).isNull();
        finalIp.put(o.pod().getMetadata().getName(), o.ip());
      }

      // every successful answer, before or after the kill, is what the cluster records
      List<PoolConsistency.Observed> observed = new ArrayList<>();
      Set<String> distinct = new HashSet<>();
      for (Outcome o : first) {
        String name = o.pod().getMetadata().getName();
        if (finalIp.containsKey(name)) {
          distinct.add(finalIp.get(name));
          observed.add(
              new PoolConsistency.Observed(
                  NS, name, o.pod().getMetadata().getUid(), finalIp.get(name)));
        }
      }
      int live = PLUGIN_PODS + SOCKET_PODS - abandoned.size();
      assertThat(observed).hasSize(live);
      assertThat(distinct).as("distinct addresses").hasSize(live);
      Set<String> gone = new HashSet<>();
      abandoned.forEach(p -> gone.add(NS + "/" + p.getMetadata().getName()));
      await("the GC frees whatever the abandoned Pods' cut ADDs wrote")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .untilAsserted(
              () -> assertThat(pc.records(POOL).values()).noneMatch(r -> gone.contains(r.pod())));
      assertThat(pc.records(POOL)).as("records in %s", POOL).hasSize(live);
      assertThat(pc.violations(List.of(POOL), List.of(NS), observed)).isEmpty();
      assertThat(ourInconsistencies()).as("spiderpool check after the fault").isEmpty();

      // and everything goes: DEL of every live Pod empties the pool
      List<Future<Boolean>> dels = new ArrayList<>();
      for (Outcome o : first) {
        if (gone.contains(NS + "/" + o.pod().getMetadata().getName())) {
          continue;
        }
        PodSandbox sb = sandboxByPod.get(o.pod().getMetadata().getName());
        dels.add(
            plugins.submit(
                () -> {
                  fx.deleteNow(o.pod());
                  if (sb != null) {
                    return sb.del(cluster.bridge(NODE, List.of(POOL), List.of()), "eth0").ok();
                  }
                  return new AgentSocket(cluster.daemon(NODE).socket())
                          .send(
                              "DELETE",
                              "/v1/ipam/ip",
                              "{\"containerID\":\"sock-"
                                  + o.pod().getMetadata().getName()
                                  + "\",\"ifName\":\"eth0\",\"podNamespace\":\""
                                  + NS
                                  + "\",\"podName\":\""
                                  + o.pod().getMetadata().getName()
                                  + "\",\"podUID\":\""
                                  + o.pod().getMetadata().getUid()
                                  + "\"}")
                          .status()
                      == 200;
                }));
      }
      for (Future<Boolean> f : dels) {
        assertThat(f.get()).as("DEL").isTrue();
      }
      assertThat(pc.records(POOL)).as("records left").isEmpty();
      assertThat(pc.violations(List.of(POOL), List.of(NS), List.of())).isEmpty();
      assertThat(ourInconsistencies()).as("spiderpool check after DEL of all").isEmpty();
    } finally {
      plugins.shutdownNow();
      sockets.shutdownNow();
      sandboxes.forEach(PodSandbox::close);
    }
  }

  /**
   * A runtime tears a failed sandbox down (DEL) before it tries again: the bridge plugin may have
   * left its veth behind when the IPAM call failed.
   */
  private static Outcome pluginRetry(PodSandbox sb) {
    sb.del(cluster.bridge(NODE, List.of(POOL), List.of()), "eth0");
    return pluginAdd(sb);
  }

  /**
   * The consistency checker of {@code spiderpool check} (io.spiderpool.k8s.check) over the whole
   * cluster, narrowed to this class's pool and namespace: other classes share the control plane.
   */
  private static List<Inconsistency> ourInconsistencies() {
    ConsistencyReport report = new ConsistencyChecker(cluster.client()).check();
    return report.found().stream()
        .filter(i -> i.pool().equals(POOL) || i.pod().startsWith(NS + "/"))
        .toList();
  }

  private interface Attempt {
    Outcome run();
  }

  /** Up to three attempts, as a kubelet retries a sandbox. */
  private static Outcome retry(Attempt a) {
    Outcome o = a.run();
    for (int i = 1; o.failure() != null && i < 3; i++) {
      o = a.run();
    }
    return o;
  }
}
