// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.CLUSTER_POLL;
import static io.spiderpool.testing.Waits.POLL;
import static io.spiderpool.testing.Waits.PROCESS_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.k8s.check.ConsistencyChecker;
import io.spiderpool.k8s.check.Inconsistency;
import io.spiderpool.testing.Http;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.TcpProxy;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 4 of docs/reliability.md: one daemon cut off from the API server. {@code node-a}'s daemon
 * reaches the API server only through a {@link TcpProxy} the test breaks in two ways — connections
 * refused and reset, then everything accepted but nothing forwarded (a stall) — and heals. While
 * cut: its ADDs fail within {@link #REFUSED_FAILS_WITHIN} or {@link #STALLED_FAILS_WITHIN}, with an
 * error naming the API server as unreachable (plugin: CNI code 11, "try again later"); it gives up
 * the controller role, which {@code node-b} takes; {@code node-b} allocates throughout. After
 * healing, without a restart: the cut daemon allocates again (the runtime's retries of the failed
 * ADDs succeed), nothing is left of the failed calls, {@link PoolConsistency} and {@code spiderpool
 * check}'s checker are clean and {@code allocatedIPCount} exact; DEL of every Pod empties the pool.
 */
@ExtendWith(ControlPlaneExtension.class)
class ApiPartitionFaultE2E {
  private static final String NS = "e2e-partition";
  private static final String POOL = "partition-v4";
  private static final String CUT = TwoNodes.NODES.get(0);
  private static final String OTHER = TwoNodes.NODES.get(1);

  /**
   * How long an ADD may take to fail while its daemon's connections to the API server are refused:
   * the daemon's client repeats such a request three times, 0.1 + 0.2 + 0.4 s apart
   * (ApiClientRetries), and the engine adds no retries of its own for an unreachable API server —
   * its write budget (KubernetesIpam.WRITE_BUDGET, 90 s) is for lost compare-and-set writes only
   * (docs/architecture.md, "Contention"). Widened for a loaded 2-core machine; fabric8's default of
   * ten retries took 19.5 s here.
   */
  static final Duration REFUSED_FAILS_WITHIN = Duration.ofSeconds(10);

  /**
   * The same while every byte is dropped: one request timeout (10 s, not repeated), widened for a
   * loaded machine; still a third of the write budget.
   */
  static final Duration STALLED_FAILS_WITHIN = Duration.ofSeconds(30);

  /**
   * The controller role moves within the renew deadline (10 s) for the cut holder to stop, and the
   * lease duration (15 s) plus a retry period (2 s) for the other to take it (docs/controller.md),
   * plus 10 s for a loaded machine.
   */
  static final Duration ROLE_MOVES = Duration.ofSeconds(27 + 10);

  private static TcpProxy proxy;
  private static TwoNodes cluster;
  private static ClusterFixtures fx;
  private static Path kubeconfig;

  @BeforeAll
  static void cluster(LocalControlPlane cp) throws IOException {
    proxy = TcpProxy.to(URI.create(cp.serverUrl()).getPort());
    kubeconfig = Files.createTempFile("sp-e2e-partition-", ".kubeconfig");
    String admin = Files.readString(cp.kubeconfig());
    assertThat(admin).as("admin kubeconfig names %s", cp.serverUrl()).contains(cp.serverUrl());
    Files.writeString(
        kubeconfig, admin.replace(cp.serverUrl(), "https://127.0.0.1:" + proxy.port()));
    cluster = TwoNodes.start(cp, Map.of(), Map.of(CUT, kubeconfig));
    fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.74.0.0/24", List.of("10.74.0.10-10.74.0.250"), "10.74.0.1", s -> {});
  }

  @AfterAll
  static void stop() throws IOException {
    if (fx != null) {
      fx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
    }
  }

  /** One ADD through the agent socket: the address, or the failure, and how long it took. */
  private record Add(Pod pod, String ip, int status, String failure, Duration took) {
    boolean ok() {
      return ip != null;
    }
  }

  @Test
  void aDaemonCutFromTheApiServerFailsFastGivesUpTheRoleAndRecoversWithoutLeftovers()
      throws Exception {
    cutDaemonHoldsTheRole();
    PoolConsistency pc = new PoolConsistency(cluster.client());
    Map<String, Add> allocated = new LinkedHashMap<>(); // pod name -> its successful ADD
    int n = 0;

    // before: both nodes allocate
    for (String node : TwoNodes.NODES) {
      for (int i = 0; i < 3; i++) {
        Add a = socketAdd(node, pod(node, "before-" + n++));
        assertThat(a.failure()).as("ADD on %s before the cut", node).isNull();
        allocated.put(name(a.pod()), a);
      }
    }
    // Pods of the cut node made before the cut are normally in its watch cache by then (the ADD
    // reads nothing and fails on the pool write); those made during the cut cannot be, so their
    // ADDs fail on the Pod GET
    List<Pod> madeBefore = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      madeBefore.add(pod(CUT, "made-before-" + i));
    }
    List<Pod> failed = new ArrayList<>();

    // 1. refused and reset
    long cutAt = System.nanoTime();
    proxy.refuse();
    failed.addAll(failFast("refused", REFUSED_FAILS_WITHIN, madeBefore, pc));
    failed.addAll(
        failFast("refused", REFUSED_FAILS_WITHIN, List.of(pod(CUT, "during-refused-0")), pc));
    failed.add(pluginFailsFast("refused", REFUSED_FAILS_WITHIN, pod(CUT, "plugin-refused")));
    roleMoves(cutAt);
    otherNodeGoesOn(allocated, "refused", 10);
    heal(allocated, failed);

    // 2. stalled: accepted, nothing forwarded
    List<Pod> stallPods = List.of(pod(CUT, "stall-0"), pod(CUT, "stall-1"));
    proxy.stall();
    failed.addAll(failFast("stalled", STALLED_FAILS_WITHIN, stallPods, pc));
    failed.addAll(
        failFast("stalled", STALLED_FAILS_WITHIN, List.of(pod(CUT, "during-stall-0")), pc));
    otherNodeGoesOn(allocated, "stalled", 10);
    heal(allocated, failed);

    // after both: nothing left of the failed calls, every answer recorded, counters exact
    List<PoolConsistency.Observed> observed = new ArrayList<>();
    Set<String> distinct = new HashSet<>();
    for (Add a : allocated.values()) {
      observed.add(
          new PoolConsistency.Observed(NS, name(a.pod()), a.pod().getMetadata().getUid(), a.ip()));
      distinct.add(a.ip());
    }
    assertThat(distinct).as("distinct addresses").hasSize(allocated.size());
    assertThat(pc.records(POOL)).as("records in %s", POOL).hasSize(allocated.size());
    assertThat(pc.violations(List.of(POOL), List.of(NS), observed)).isEmpty();
    assertThat(ourInconsistencies()).as("spiderpool check after healing").isEmpty();

    // and everything goes, through both daemons
    for (Add a : allocated.values()) {
      fx.deleteNow(a.pod());
      AgentSocket.Response r =
          new AgentSocket(cluster.daemon(a.pod().getSpec().getNodeName()).socket())
              .send("DELETE", "/v1/ipam/ip", delBody(a.pod()));
      assertThat(r.status()).as("DEL of %s: %s", name(a.pod()), r.body()).isEqualTo(200);
    }
    assertThat(pc.records(POOL)).as("records left").isEmpty();
    assertThat(pc.violations(List.of(POOL), List.of(NS), List.of())).isEmpty();
    assertThat(ourInconsistencies()).as("spiderpool check after DEL of all").isEmpty();
  }

  /**
   * Makes {@link #CUT} the holder: whichever daemon wins first, a graceful restart of the other
   * hands the Lease over within a retry period (docs/controller.md).
   */
  private static void cutDaemonHoldsTheRole() {
    TwoNodes.NODES.forEach(ApiPartitionFaultE2E::awaitMetrics);
    await("one daemon holds the controller role")
        .atMost(ROLE_MOVES)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptionsInstanceOf(ConnectException.class)
        .until(() -> holds(CUT) || holds(OTHER));
    if (!holds(CUT)) {
      cluster.restart(OTHER);
      awaitMetrics(OTHER);
    }
    await(CUT + " holds the controller role")
        .atMost(ROLE_MOVES)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptionsInstanceOf(ConnectException.class)
        .until(() -> holds(CUT));
    assertThat(holds(OTHER)).as(OTHER + " holds the role too").isFalse();
  }

  /** ADDs on the cut node, one after another: each fails fast and names the API server. */
  private static List<Pod> failFast(
      String how, Duration bound, List<Pod> pods, PoolConsistency pc) {
    Map<String, PoolConsistency.PoolRecord> before = pc.records(POOL);
    List<Pod> out = new ArrayList<>();
    for (Pod p : pods) {
      Add a = socketAdd(CUT, p);
      System.err.printf(
          "partition (%s): ADD of %s on %s failed after %d ms: HTTP %d %s%n",
          how, name(p), CUT, a.took().toMillis(), a.status(), a.failure());
      assertThat(a.ok()).as("ADD of %s while %s", name(p), how).isFalse();
      assertThat(a.status()).as(a.failure()).isEqualTo(500);
      assertThat(a.failure()).as("the error names the cause").contains("API server unreachable");
      assertThat(a.failure()).doesNotContain("Exception");
      assertThat(a.took()).as("time to the error while %s", how).isLessThan(bound);
      out.add(p);
    }
    assertThat(pc.records(POOL)).as("nothing written by failed ADDs").isEqualTo(before);
    return out;
  }

  /** An ADD as the runtime makes it, through macvlan and the plugin: code 11 and the cause. */
  private static Pod pluginFailsFast(String how, Duration bound, Pod p) {
    try (PodSandbox sb = PodSandbox.of(p, cluster.runtime())) {
      long t0 = System.nanoTime();
      Command.Outcome o = sb.add(conf(), "eth0");
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.err.printf(
          "partition (%s): plugin ADD of %s failed after %d ms: %s%n",
          how, name(p), took.toMillis(), o.stdout().strip());
      assertThat(o.ok()).as(o.describe()).isFalse();
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) JsonReader.parse(o.stdout());
      assertThat(error.get("code")).as(o.describe()).isEqualTo(11L);
      assertThat((String) error.get("msg")).contains("API server unreachable");
      assertThat(o.stdout()).doesNotContain("Exception");
      assertThat(took).as("plugin ADD while %s", how).isLessThan(bound);
      sb.del(conf(), "eth0"); // a runtime tears the failed sandbox down; this DEL may fail too
    }
    return p;
  }

  /**
   * The cut holder's role ends (its fence closed, docs/controller.md) and the other node's daemon
   * takes it.
   */
  private static void roleMoves(long cutAt) {
    await(CUT + " gives up the controller role while cut off")
        .atMost(ROLE_MOVES)
        .pollInterval(CLUSTER_POLL)
        .until(() -> !holds(CUT));
    long stopped = System.nanoTime() - cutAt;
    await(OTHER + " takes the controller role")
        .atMost(ROLE_MOVES)
        .pollInterval(CLUSTER_POLL)
        .until(() -> holds(OTHER));
    System.err.printf(
        "partition: %s stopped its role %d ms after the cut, %s held it after %d ms%n",
        CUT, stopped / 1_000_000, OTHER, (System.nanoTime() - cutAt) / 1_000_000);
    assertThat(holds(CUT)).as("two holders").isFalse();
  }

  private static void otherNodeGoesOn(Map<String, Add> allocated, String how, int count) {
    for (int i = 0; i < count; i++) {
      Add a = socketAdd(OTHER, pod(OTHER, "other-" + how + "-" + i));
      assertThat(a.failure()).as("ADD on %s while %s is %s", OTHER, CUT, how).isNull();
      allocated.put(name(a.pod()), a);
    }
  }

  /**
   * Heals the proxy and retries every failed ADD, as a runtime does, until it succeeds: the cut
   * daemon recovers without a restart (its connections and watches come back by themselves).
   */
  private static void heal(Map<String, Add> allocated, List<Pod> failed) {
    long daemonPid = cluster.daemon(CUT).pid();
    long t0 = System.nanoTime();
    proxy.heal();
    for (Pod p : failed) {
      Add[] last = new Add[1];
      await("the runtime's retried ADD of " + name(p) + " on " + CUT + " after healing")
          .atMost(CLUSTER)
          .pollInterval(POLL)
          .until(
              () -> {
                last[0] = socketAdd(CUT, p);
                return last[0].ok();
              });
      allocated.put(name(p), last[0]);
    }
    System.err.printf(
        "partition: healed; %d retried ADDs on %s succeeded within %d ms%n",
        failed.size(), CUT, (System.nanoTime() - t0) / 1_000_000);
    failed.clear();
    assertThat(cluster.daemon(CUT).pid()).as("the same daemon process").isEqualTo(daemonPid);
    assertThat(cluster.daemon(CUT).alive()).isTrue();
  }

  /**
   * The daemon's metrics endpoint answers (it may open after the agent socket; the JVM's first
   * rest-assured request also boots its Groovy runtime, docs/testing.md).
   */
  private static void awaitMetrics(String node) {
    await("metrics of " + node)
        .atMost(PROCESS_START)
        .pollInterval(CLUSTER_POLL)
        .ignoreExceptionsInstanceOf(ConnectException.class)
        .until(
            () ->
                Http.on(cluster.daemon(node).metricsPort())
                        .get("/metrics")
                        .then()
                        .extract()
                        .statusCode()
                    == 200);
  }

  private static boolean holds(String node) {
    String scrape =
        Http.on(cluster.daemon(node).metricsPort()).get("/metrics").then().extract().asString();
    return scrape.contains("spiderpool_controller_role_holder 1.0");
  }

  private static NetConf conf() {
    return cluster.macvlan(CUT, List.of(POOL), List.of());
  }

  private static Pod pod(String node, String name) {
    return fx.createRunning(ClusterFixtures.pod(NS, name, node));
  }

  private static String name(Pod p) {
    return p.getMetadata().getName();
  }

  private static Add socketAdd(String node, Pod p) {
    long t0 = System.nanoTime();
    try {
      AgentSocket.Response r =
          new AgentSocket(cluster.daemon(node).socket()).send("POST", "/v1/ipam/ip", addBody(p));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      if (r.status() != 200) {
        return new Add(p, null, r.status(), (String) JsonReader.parse(r.body()), took);
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ips =
          (List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(r.body())).get("ips");
      return new Add(p, ((String) ips.get(0).get("address")).split("/")[0], 200, null, took);
    } catch (IOException e) {
      throw new UncheckedIOException("agent socket of " + node, e);
    }
  }

  private static String addBody(Pod p) {
    return "{\"containerID\":\"sock-"
        + name(p)
        + "\",\"ifName\":\"eth0\",\"netNamespace\":\"/proc/1/ns/net\",\"podNamespace\":\""
        + NS
        + "\",\"podName\":\""
        + name(p)
        + "\",\"podUID\":\""
        + p.getMetadata().getUid()
        + "\",\"defaultIPv4IPPool\":[\""
        + POOL
        + "\"]}";
  }

  private static String delBody(Pod p) {
    return "{\"containerID\":\"sock-"
        + name(p)
        + "\",\"ifName\":\"eth0\",\"podNamespace\":\""
        + NS
        + "\",\"podName\":\""
        + name(p)
        + "\",\"podUID\":\""
        + p.getMetadata().getUid()
        + "\"}";
  }

  /** {@code spiderpool check}'s checker, narrowed to this class's pool and namespace. */
  private static List<Inconsistency> ourInconsistencies() {
    return new ConsistencyChecker(cluster.client())
        .check().found().stream()
            .filter(i -> i.pool().equals(POOL) || i.pod().startsWith(NS + "/"))
            .toList();
  }
}
