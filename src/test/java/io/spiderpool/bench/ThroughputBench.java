// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Benchmark (not a test) of the allocation engine on the local control plane: N Pods spread over
 * two {@code spiderpool daemon} processes into one pool of exactly N addresses, driven through the
 * agents' socket API ({@code POST /v1/ipam/ip}, what the plugin sends) so that plugin JVM start-up
 * does not hide the engine. Reports pods/s, p50/p99 per-allocation latency, the pool status writes
 * and 409s and every request per allocation (the API server's own counters; no watch of our own,
 * which would take CPU from the processes measured), and checks that no address is held twice. Next
 * to it, the API server's own single-object status-update rate: the ceiling of any design that
 * writes one pool object per allocation. Run with {@code hack/bench-throughput.sh}.
 *
 * <p>Arguments: {@code [engine|apiserver|both] [pods=1000] [concurrency per daemon=32]
 * [daemons=2]}. The 409s and every other request come from the API server's own counters. The
 * engine phase ends with one {@code scale-row:} line of key=value pairs that hack/bench-scale.sh
 * collects into its table.
 */
public final class ThroughputBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "bench";
  private static final String POOL = "bench-v4";

  /**
   * After the burst, the daemons' idle CPU is measured once they are quiet: on average below this
   * many CPU seconds per second each over half a second (idle daemons use 0.007–0.026)...
   */
  private static final double QUIET_CPU = 0.05;

  /** ...or after this long, whichever comes first... */
  private static final Duration QUIET_WITHIN = Duration.ofSeconds(30);

  /** ...for this long. */
  private static final Duration IDLE_SPAN = Duration.ofSeconds(15);

  /**
   * Waits until the daemons' CPU rate over the last half second is below {@link #QUIET_CPU} per
   * daemon (the burst's watch events, GC passes and compilations have ended), at most {@link
   * #QUIET_WITHIN}; says so when they did not get quiet.
   */
  private static void awaitIdle(List<Long> daemonPids) {
    double[] last = {daemonCpu(daemonPids)};
    long[] at = {System.nanoTime()};
    try {
      await("the daemons quiet after the burst")
          .atMost(QUIET_WITHIN)
          .pollDelay(Duration.ofMillis(500))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                double cpu = daemonCpu(daemonPids);
                long now = System.nanoTime();
                double rate = (cpu - last[0]) / ((now - at[0]) / 1e9) / daemonPids.size();
                last[0] = cpu;
                at[0] = now;
                return rate < QUIET_CPU;
              });
    } catch (ConditionTimeoutException e) {
      System.out.printf(
          "  the daemons did not get quiet within %d s; idle measured anyway%n",
          QUIET_WITHIN.toSeconds());
    }
  }

  /** The daemons' CPU seconds so far, threads that ended included ({@code /proc/<pid>/stat}). */
  private static double daemonCpu(List<Long> daemonPids) {
    Map<String, Long> byPid = new LinkedHashMap<>();
    daemonPids.forEach(pid -> byPid.put(Long.toString(pid), pid));
    return CpuCensus.snapshot(byPid).values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private ThroughputBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "both";
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int daemonCount = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    if (daemonCount < 1) {
      throw new IllegalArgumentException("daemons must be at least 1, got " + daemonCount);
    }
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-bench-");
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      System.out.printf(
          "%nthroughput on %s, %d pods, %d cores, %s%n",
          cp.serverUrl(), pods, Runtime.getRuntime().availableProcessors(), Runtime.version());
      if (!mode.equals("apiserver")) {
        engine(cp, state, pods, concurrency, daemonCount);
      }
      if (!mode.equals("engine")) {
        apiserver(cp.client(), pods);
      }
    }
    System.exit(0); // fabric8's dispatcher threads would keep the JVM alive
  }

  private static void engine(
      LocalControlPlane cp, Path state, int pods, int concurrency, int daemonCount)
      throws Exception {
    KubernetesClient client = cp.client();
    ClusterFixtures fx = new ClusterFixtures(client);
    fx.namespace(NS, Map.of(), Map.of());
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < daemonCount; i++) {
      nodes.add(String.format("bench-%02d", i));
    }
    for (String n : nodes) {
      fx.node(n, Map.of());
    }
    fx.pool(POOL, 4, "10.96.0.0/16", List.of(range(pods)), null, s -> {});
    List<DaemonProcess> daemons = new ArrayList<>();
    long daemonsStarted = System.nanoTime();
    try {
      for (String n : nodes) {
        Path sock = state.resolve(n + ".sock");
        Path conf =
            Files.writeString(
                state.resolve(n + ".yml"),
                "ipamUnixSocketPath: "
                    + sock
                    + "\nenableIPv4: true\nenableIPv6: false\nenableIPConflictDetection: false\nenableGatewayDetection: false\n");
        // e.g. -Dbench.daemonJavaOptions=-XX:StartFlightRecording=filename=/tmp/{node}.jfr to
        // profile them
        String javaOptions = System.getProperty("bench.daemonJavaOptions", "").replace("{node}", n);
        daemons.add(
            DaemonProcess.start(
                cp.kubeconfig(),
                n,
                sock,
                conf,
                javaOptions.isBlank() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", javaOptions),
                Duration.ofSeconds(120)));
      }
      warmUp(fx, nodes, daemons, Integer.getInteger("bench.warmup", 2000), concurrency);
      List<Pod> created = createPods(fx, nodes, pods);
      awaitRole(client, daemonsStarted);
      long[] latency = new long[pods];
      Map<String, String> ipOf = new HashMap<>();
      AtomicInteger failures = new AtomicInteger();
      ExecutorService ex = Executors.newFixedThreadPool(concurrency * daemons.size());
      List<Future<String>> fs = new ArrayList<>();
      long t0;
      Map<String, Long> processes = new LinkedHashMap<>(CpuCensus.controlPlane());
      for (DaemonProcess d : daemons) {
        processes.put("daemon " + d.node(), d.pid());
      }
      processes.put("load generator (this JVM)", ProcessHandle.current().pid());
      List<Long> daemonPids = daemons.stream().map(DaemonProcess::pid).toList();
      Map<String, Double> cpuBefore = CpuCensus.snapshot(processes);
      Map<String, Double> threadsBefore = CpuCensus.threads(daemonPids);
      Map<String, Double> requestsBefore = ApiserverRequests.snapshot(client);
      Map<String, Long> daemonsByName = new LinkedHashMap<>(processes);
      daemonsByName.keySet().removeIf(name -> !name.startsWith("daemon "));
      ApiConnections connections = new ApiConnections(cp.serverUrl(), daemonsByName);
      {
        t0 = System.nanoTime();
        for (int i = 0; i < pods; i++) {
          Pod p = created.get(i);
          DaemonProcess d = daemons.get(i % daemons.size());
          int idx = i;
          fs.add(
              ex.submit(
                  () -> {
                    long s = System.nanoTime();
                    AgentSocket.Response r =
                        new AgentSocket(d.socket()).send("POST", "/v1/ipam/ip", addArgs(p, idx));
                    latency[idx] = System.nanoTime() - s;
                    if (r.status() != 200) {
                      failures.incrementAndGet();
                      System.err.println(
                          "ADD "
                              + p.getMetadata().getName()
                              + ": HTTP "
                              + r.status()
                              + " "
                              + r.body());
                      return null;
                    }
                    return firstAddress(r.body());
                  }));
        }
        for (int i = 0; i < pods; i++) {
          String ip = fs.get(i).get();
          if (ip != null) {
            ipOf.put(created.get(i).getMetadata().getName(), ip);
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> cpuAfter = CpuCensus.snapshot(processes);
        Map<String, Double> threadsAfter = CpuCensus.threads(daemonPids);
        System.out.printf(
            "measured window: %s to %s (wall clock, for flight recordings)%n",
            LocalTime.now().minusNanos((long) (secs * 1e9)).withNano(0),
            LocalTime.now().withNano(0));
        connections.close();
        long distinct = ipOf.values().stream().distinct().count();
        int records = new PoolConsistency(client).records(POOL).size();
        List<String> violations =
            new PoolConsistency(client).violations(List.of(POOL), List.of(NS), List.of());
        Latencies l = new Latencies(latency);
        System.out.printf(
            "%nengine: %d pods over %d daemons into one %d-address pool, %d in flight per daemon%n",
            pods, daemons.size(), pods, concurrency);
        System.out.printf("  %-36s %10.1f%n", "pods/s", ipOf.size() / secs);
        System.out.printf("  %-36s %10.1f%n", "wall time, s", secs);
        System.out.printf(
            "  %-36s %10.1f / %.1f%n", "per-allocation latency p50 / p99, ms", l.ms(50), l.ms(99));
        System.out.printf("  %-36s %10d%n", "failed allocations", failures.get());
        Map<String, Double> requestsAfter = ApiserverRequests.snapshot(client);
        System.out.printf(
            "  %-36s %10.0f%n",
            "pool status writes (API server)", poolWrites(requestsBefore, requestsAfter, 200));
        System.out.printf(
            "  %-36s %10.0f%n",
            "409s (API server)", poolWrites(requestsBefore, requestsAfter, 409));
        System.out.printf(
            "  %-36s %10s%n",
            "duplicates",
            (ipOf.size() - distinct)
                + " ("
                + records
                + " records, "
                + violations.size()
                + " inconsistencies)");
        violations.stream().limit(10).forEach(v -> System.out.println("    " + v));
        ApiserverRequests.print(requestsBefore, requestsAfter, pods);
        CpuCensus.print(cpuBefore, cpuAfter, secs, pods);
        double jitMsPerSecond =
            CpuCensus.printThreads(
                "daemons during the measurement",
                threadsBefore,
                threadsAfter,
                CpuCensus.sum(cpuAfter, "daemon ") - CpuCensus.sum(cpuBefore, "daemon "),
                secs,
                daemons.size());
        // what a daemon costs when it allocates nothing: the same daemons, idle, after the burst
        awaitIdle(daemonPids);
        Map<String, Double> idleCpuBefore = CpuCensus.snapshot(processes);
        Map<String, Double> idleBefore = CpuCensus.threads(daemonPids);
        long idleStart = System.nanoTime();
        // the measurement window itself, not a wait for a condition
        Thread.sleep(IDLE_SPAN.toMillis());
        double idleSecs = (System.nanoTime() - idleStart) / 1e9;
        Map<String, Double> idleAfter = CpuCensus.threads(daemonPids);
        Map<String, Double> idleCpuAfter = CpuCensus.snapshot(processes);
        double idleDaemonSecs =
            CpuCensus.sum(idleCpuAfter, "daemon ") - CpuCensus.sum(idleCpuBefore, "daemon ");
        CpuCensus.printThreads(
            "daemons idle afterwards",
            idleBefore,
            idleAfter,
            idleDaemonSecs,
            idleSecs,
            daemons.size());
        double idleMsPerSecond = 1000 * idleDaemonSecs / idleSecs / daemons.size();
        connections.print();
        // the ceiling: each allocation creates a SpiderEndpoint; the API server's raw rate for
        // copies of one the daemons wrote, as many in flight (docs/performance.md)
        EndpointCreateRate.Result ceiling =
            EndpointCreateRate.measure(
                client,
                client.resources(SpiderEndpoint.class).inNamespace(NS).list().getItems().get(0),
                concurrency * daemons.size(),
                pods);
        System.out.printf(
            "  %-36s %10.1f  (%d in flight, p50 %.0f ms, p99 %.0f ms, %d failed)%n",
            "raw SpiderEndpoint creates/s",
            ceiling.perSecond(),
            concurrency * daemons.size(),
            ceiling.latency().ms(50),
            ceiling.latency().ms(99),
            ceiling.failures());
        System.out.printf(
            "  %-36s %10.0f %%%n",
            "pods/s of that ceiling", 100 * ipOf.size() / secs / ceiling.perSecond());
        int ok = Math.max(1, ipOf.size());
        double cpuAll = 0;
        double cpuDaemons = 0;
        for (Map.Entry<String, Double> e : cpuAfter.entrySet()) {
          double d = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0.0);
          cpuAll += d;
          cpuDaemons += e.getKey().startsWith("daemon ") ? d : 0;
        }
        long rssMin = Long.MAX_VALUE;
        long rssMax = 0;
        for (DaemonProcess d : daemons) {
          long kib = rssKib(d.pid());
          rssMin = Math.min(rssMin, kib);
          rssMax = Math.max(rssMax, kib);
        }
        double leaseGets = delta(requestsBefore, requestsAfter, "GET leases ");
        System.out.printf(
            "scale-row: daemons=%d inflight=%d pods_s=%.1f writes_alloc=%.3f conflicts_alloc=%.3f"
                + " gets_alloc=%.3f lease_gets=%.0f lease_gets_s=%.2f lease_writes=%.0f"
                + " p50_ms=%.0f p99_ms=%.0f cpu_ms_alloc=%.1f cpu_daemons_ms_alloc=%.1f failed=%d"
                + " duplicates=%d rss_min_mib=%d rss_max_mib=%d daemon_ms_s=%.1f"
                + " daemon_jit_ms_s=%.1f idle_daemon_ms_s=%.1f%n",
            daemons.size(),
            concurrency,
            ipOf.size() / secs,
            poolWrites(requestsBefore, requestsAfter, 200) / ok,
            poolWrites(requestsBefore, requestsAfter, 409) / ok,
            delta(requestsBefore, requestsAfter, "GET spiderippools ") / ok,
            leaseGets,
            leaseGets / secs,
            delta(requestsBefore, requestsAfter, "PUT leases ")
                + delta(requestsBefore, requestsAfter, "POST leases "),
            l.ms(50),
            l.ms(99),
            1000 * cpuAll / ok,
            1000 * cpuDaemons / ok,
            failures.get(),
            ipOf.size() - distinct,
            rssMin / 1024,
            rssMax / 1024,
            1000 * cpuDaemons / secs / daemons.size(),
            jitMsPerSecond,
            idleMsPerSecond);
      }
      ex.shutdown();
    } finally {
      daemons.forEach(DaemonProcess::close);
    }
  }

  /**
   * Waits until a daemon holds the controller role, and a little longer for the role's caches to
   * fill: a role that starts during the measurement (its campaign may wait a minute for an eligible
   * node) lists every Pod and endpoint and opens a connection per watch inside the measured window,
   * which is not the steady state the window is for. Also waits until the daemons are over a minute
   * old: a client's per-request work changes after its first minute (fabric8's token refresh,
   * docs/performance.md "The throughput ceiling"), and a daemon runs for days.
   */
  private static void awaitRole(KubernetesClient client, long daemonsStarted) {
    long t0 = System.nanoTime();
    AtomicReference<String> holder = new AtomicReference<>();
    try {
      await("a controller role holder")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                holder.set(holder(client));
                return holder.get() != null;
              });
    } catch (ConditionTimeoutException e) {
      // measured anyway, and the line below says so
    }
    // the role's caches filled (5 s after the holder was seen) and the daemons over a minute old
    long ready = Math.max(System.nanoTime() + 5_000_000_000L, daemonsStarted + 65_000_000_000L);
    await("the role's caches and the daemons' first minute")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> System.nanoTime() >= ready);
    System.out.printf(
        "controller role: %s, waited %.1f s before measuring%n",
        holder.get() == null ? "no holder after 120 s" : "held by " + holder.get(),
        (System.nanoTime() - t0) / 1e9);
  }

  /** The holder of the controller role's Lease, or null. */
  private static String holder(KubernetesClient client) {
    return client.leases().inAnyNamespace().list().getItems().stream()
        .filter(l -> l.getMetadata().getName().equals("spiderpool-controller-leases"))
        .map(l -> l.getSpec() == null ? null : l.getSpec().getHolderIdentity())
        .filter(h -> h != null && !h.isEmpty())
        .findFirst()
        .orElse(null);
  }

  /** The summed change of the counters whose key starts with {@code prefix}. */
  private static double delta(
      Map<String, Double> before, Map<String, Double> after, String prefix) {
    double d = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        d += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      }
    }
    return d;
  }

  /** Pool status writes answered with {@code code}: PUTs (before 2026-12) and merge patches. */
  private static double poolWrites(
      Map<String, Double> before, Map<String, Double> after, int code) {
    return delta(before, after, "PUT spiderippools/status " + code)
        + delta(before, after, "PATCH spiderippools/status " + code);
  }

  /** A process's resident set (VmRSS), KiB; 0 when it is gone. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
    return 0;
  }

  /**
   * Daemons are long-running: before measuring, the same path runs {@code n} times into a pool of
   * its own, so the measurement is not mostly JIT compilation. Its rate is printed as the cold
   * rate.
   */
  private static void warmUp(
      ClusterFixtures fx, List<String> nodes, List<DaemonProcess> daemons, int n, int concurrency)
      throws Exception {
    if (n <= 0) {
      System.out.println("warm-up: none (-Dbench.warmup=0): the numbers below are of cold daemons");
      return;
    }
    fx.namespace(NS + "-warm", Map.of(), Map.of());
    fx.pool(
        POOL + "-warm",
        4,
        "10.97.0.0/16",
        List.of("10.97.0.1-10.97." + (n >> 8) + "." + (n & 255)),
        null,
        s -> {});
    List<Pod> pods = createPods(fx, nodes, n, NS + "-warm", "w");
    ExecutorService ex = Executors.newFixedThreadPool(concurrency * daemons.size());
    List<Future<Integer>> fs = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Pod p = pods.get(i);
      DaemonProcess d = daemons.get(i % daemons.size());
      int idx = i;
      fs.add(
          ex.submit(
              () ->
                  new AgentSocket(d.socket())
                      .send("POST", "/v1/ipam/ip", addArgs(p, 100_000 + idx, POOL + "-warm"))
                      .status()));
    }
    int ok = 0;
    for (Future<Integer> f : fs) {
      ok += f.get() == 200 ? 1 : 0;
    }
    ex.shutdown();
    System.out.printf(
        "warm-up: %d of %d allocations into a separate pool on cold daemons, %.1f pods/s%n",
        ok, n, ok / ((System.nanoTime() - t0) / 1e9));
  }

  private static List<Pod> createPods(ClusterFixtures fx, List<String> nodes, int pods)
      throws Exception {
    return createPods(fx, nodes, pods, NS, "p");
  }

  private static List<Pod> createPods(
      ClusterFixtures fx, List<String> nodes, int pods, String ns, String prefix) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(16);
    List<Future<Pod>> fs = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      String node = nodes.get(i % nodes.size());
      String name = prefix + i;
      fs.add(ex.submit(() -> fx.createRunning(ClusterFixtures.pod(ns, name, node))));
    }
    List<Pod> out = new ArrayList<>();
    for (Future<Pod> f : fs) {
      out.add(f.get());
    }
    ex.shutdown();
    return out;
  }

  /** Spiderpool's {@code IpamAddArgs}, with the pool as the CNI-config default. */
  private static String addArgs(Pod p, int i) throws IOException {
    return addArgs(p, i, POOL);
  }

  private static String addArgs(Pod p, int i, String pool) throws IOException {
    Map<String, Object> m = new HashMap<>();
    m.put("containerID", "bench-" + i);
    m.put("ifName", "eth0");
    m.put("netNamespace", "/var/run/netns/bench-" + i);
    m.put("podNamespace", p.getMetadata().getNamespace());
    m.put("podName", p.getMetadata().getName());
    m.put("podUID", p.getMetadata().getUid());
    m.put("defaultIPv4IPPool", List.of(pool));
    m.put("cleanGateway", false);
    return JSON.writeValueAsString(m);
  }

  private static String firstAddress(String body) throws IOException {
    JsonNode ips = JSON.readTree(body).path("ips");
    return ips.size() == 0 ? null : ips.get(0).path("address").asText();
  }

  /** {@code 10.96.0.1-<n-th address>}: exactly {@code n} addresses. */
  private static String range(int n) {
    long last = (10L << 24) + (96L << 16) + n;
    return "10.96.0.1-10.96." + ((last >> 8) & 255) + "." + (last & 255);
  }

  private static void apiserver(KubernetesClient client, int writes) throws Exception {
    System.out.printf(
        "%napiserver: status updates of one SpiderIPPool growing by one record per write%n");
    System.out.printf(
        "  %-36s %10s %10s %10s %10s%n", "scenario", "writes/s", "409s", "p50 ms", "p99 ms");
    ApiserverStatusRate.Result warm =
        ApiserverStatusRate.raw(client, "bench-warmup", Math.min(writes, 100));
    if (warm.watched() != warm.writes()) {
      System.out.printf(
          "  WARNING: the write-counting watch saw %d of %d writes%n",
          warm.watched(), warm.writes());
    }
    for (ApiserverStatusRate.Result r :
        List.of(
            ApiserverStatusRate.raw(client, "bench-raw", writes),
            ApiserverStatusRate.readModifyWrite(client, "bench-rmw1", writes, 1),
            ApiserverStatusRate.readModifyWrite(client, "bench-rmw2", writes, 2),
            ApiserverStatusRate.readModifyWrite(client, "bench-rmw8", writes, 8))) {
      System.out.printf(
          "  %-36s %10.1f %10d %10.1f %10.1f%n",
          r.scenario(), r.perSecond(), r.conflicts(), r.latency().ms(50), r.latency().ms(99));
    }
  }
}
