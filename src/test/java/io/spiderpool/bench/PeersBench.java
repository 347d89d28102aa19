// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): the same allocation workload for spiderpool and for whereabouts on one
 * local control plane, then the CNI ADD latency of each plugin as a process next to host-local. Run
 * with {@code hack/bench-peers.sh}, which builds whereabouts and the installed plugin first.
 *
 * <ul>
 *   <li>spiderpool: two {@code spiderpool daemon} processes, driven through the agents' socket API
 *       (what the plugin sends), half the in-flight requests each, one pool of exactly N addresses;
 *   <li>whereabouts: its CNI plugin binary, one process per ADD (it has no daemon), the same number
 *       in flight, one range of exactly N addresses, configured as its installer does (a flat file
 *       naming the kubeconfig).
 * </ul>
 *
 * Both measure the same things: pods/s, p50/p99 per ADD, the API server's requests and writes per
 * Pod and its 409s ({@code apiserver_request_total}), the CPU seconds of each process (the
 * whereabouts processes through this JVM's reaped-children time), failed ADDs and addresses given
 * twice. Then the API server's raw SpiderEndpoint create rate at the same concurrency, and our
 * pods/s as a fraction of it.
 *
 * <p>Arguments: {@code pods inflight cniRuns}; system properties {@code bench.whereabouts} (the
 * directory hack/bench-peers.sh built: the plugin and {@code crds/}), {@code bench.installedPlugin}
 * (our plugin as a node has it installed; the CNI latency row is left out without it), {@code
 * bench.hostLocal}, {@code bench.warmup} (allocations our daemons make first, default 600), {@code
 * bench.daemonJvm}: {@code chart} (default) runs our daemons with the node daemon's JVM options and
 * extra environment from the chart's values, as an installation runs them, just as whereabouts runs
 * as its installed binary; {@code default} runs them with the JVM's defaults.
 */
public final class PeersBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "bench";
  private static final String WB_NS = "bench-wb";
  private static final String POOL = "bench-v4";
  private static final String WB_LEASE_NS = "kube-system";

  /** What one side of the comparison measured. */
  record Side(
      String name,
      int ok,
      int failures,
      long duplicates,
      String records,
      double seconds,
      Latencies latency,
      Map<String, Double> requests,
      Map<String, Double> cpu) {
    double podsPerSecond() {
      return ok / seconds;
    }

    double requestsTotal() {
      return requests.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double writes() {
      return requests.entrySet().stream()
          .filter(e -> isWrite(e.getKey()))
          .mapToDouble(Map.Entry::getValue)
          .sum();
    }

    double conflicts() {
      return requests.entrySet().stream()
          .filter(e -> e.getKey().endsWith(" 409"))
          .mapToDouble(Map.Entry::getValue)
          .sum();
    }

    double cpuTotal() {
      return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private PeersBench() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1); // fabric8's dispatcher threads would keep the JVM (and the bench lock) alive
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int inflight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int cniRuns = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path wbDir = Path.of(System.getProperty("bench.whereabouts", ""));
    Path wbPlugin = wbDir.resolve("whereabouts");
    if (!Files.isExecutable(wbPlugin)) {
      throw new IllegalArgumentException(
          "no whereabouts plugin at " + wbPlugin + ": run the bench with hack/bench-peers.sh");
    }
    String installed = System.getProperty("bench.installedPlugin", "");
    Path hostLocal = Path.of(System.getProperty("bench.hostLocal", "/usr/lib/cni/host-local"));
    int warmup = Integer.getInteger("bench.warmup", 600);
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-peers-");
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      KubernetesClient client = cp.client();
      installCrds(client, wbDir.resolve("crds"));
      Path wbConf = whereaboutsFlatFile(cp, state);
      System.out.printf(
          "%npeers on %s, %d allocations into one %d-address pool, %d in flight, %d cores, load"
              + " average %s%n",
          cp.serverUrl(),
          pods,
          pods,
          inflight,
          Runtime.getRuntime().availableProcessors(),
          loadAverage());
      ClusterFixtures fx = new ClusterFixtures(client);
      List<String> nodes = List.of("bench-00", "bench-01");
      for (String n : nodes) {
        fx.node(n, Map.of());
      }
      List<DaemonProcess> daemons = startDaemons(cp, state, nodes);
      try {
        warmUp(fx, nodes, daemons, warmup, inflight);
        Side ours = ours(fx, nodes, daemons, pods, inflight);
        System.out.printf("load average after spiderpool: %s%n", loadAverage());
        Side wb = whereabouts(fx, nodes, wbPlugin, wbConf, state, pods, inflight);
        System.out.printf("load average after whereabouts: %s%n", loadAverage());
        table(ours, wb, pods);
        ceiling(client, ours, inflight, pods);
        cniLatency(fx, nodes, daemons, state, wbPlugin, wbConf, installed, hostLocal, cniRuns);
      } finally {
        daemons.forEach(DaemonProcess::close);
      }
    }
  }

  static boolean isWrite(String key) {
    return Stream.of("POST ", "PUT ", "PATCH ", "DELETE ", "APPLY ").anyMatch(key::startsWith);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** The whereabouts CRDs of the built version, applied and waited for. */
  private static void installCrds(KubernetesClient client, Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no whereabouts CRDs in " + dir);
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.resource(crd).forceConflicts().serverSideApply();
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(
                c ->
                    c != null
                        && c.getStatus() != null
                        && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                k ->
                                    k.getType().equals("Established")
                                        && k.getStatus().equals("True")),
                30,
                TimeUnit.SECONDS);
      }
    }
  }

  /**
   * whereabouts reads its datastore settings from a flat file (its installer writes one next to the
   * CNI config) and takes the Lease namespace from the kubeconfig's context.
   */
  private static Path whereaboutsFlatFile(LocalControlPlane cp, Path state) throws IOException {
    // the admin kubeconfig has no namespace in its context, so the Lease goes to kube-system,
    // whereabouts' default
    Path conf = state.resolve("whereabouts.conf");
    Files.writeString(
        conf,
        JSON.writeValueAsString(
            Map.of(
                "datastore",
                "kubernetes",
                "kubernetes",
                Map.of("kubeconfig", cp.kubeconfig().toAbsolutePath().toString()),
                "log_file",
                state.resolve("whereabouts.log").toString(),
                "log_level",
                "error")));
    return conf;
  }

  private static List<DaemonProcess> startDaemons(
      LocalControlPlane cp, Path state, List<String> nodes) throws IOException {
    String jvm = System.getProperty("bench.daemonJvm", "chart");
    Map<String, String> env =
        switch (jvm) {
          case "chart" -> SoakRun.chartAgentEnv(Path.of("helm/spiderpool/values.yaml"));
          case "default" -> Map.of();
          default ->
              throw new IllegalArgumentException(
                  "bench.daemonJvm must be chart or default, not " + jvm);
        };
    System.out.println(
        "our daemons' JVM: "
            + (env.isEmpty()
                ? "the JVM's defaults"
                : "the chart's node daemon options, " + env.get("JAVA_TOOL_OPTIONS")));
    List<DaemonProcess> daemons = new ArrayList<>();
    for (String n : nodes) {
      Path sock = state.resolve(n + ".sock");
      Path conf =
          Files.writeString(
              state.resolve(n + ".yml"),
              "ipamUnixSocketPath: "
                  + sock
                  + "\nenableIPv4: true\nenableIPv6: false\nenableIPConflictDetection: false"
                  + "\nenableGatewayDetection: false\n");
      daemons.add(
          DaemonProcess.start(cp.kubeconfig(), n, sock, conf, env, Duration.ofSeconds(120)));
    }
    return daemons;
  }

  /** Our daemons run long: the same path runs first into a pool of its own, so JIT is done. */
  private static void warmUp(
      ClusterFixtures fx, List<String> nodes, List<DaemonProcess> daemons, int n, int inflight)
      throws Exception {
    if (n <= 0) {
      return;
    }
    fx.namespace(NS + "-warm", Map.of(), Map.of());
    fx.pool(POOL + "-warm", 4, "10.97.0.0/16", List.of(range("10.97", n)), null, s -> {});
    List<Pod> pods = createPods(fx, nodes, n, NS + "-warm", "w");
    long t0 = System.nanoTime();
    int[] ok = new int[1];
    run(
        n,
        inflight,
        i -> {
          AgentSocket.Response r =
              new AgentSocket(daemons.get(i % daemons.size()).socket())
                  .send("POST", "/v1/ipam/ip", addArgs(pods.get(i), 100_000 + i, POOL + "-warm"));
          return r.status() == 200 ? "ok" : null;
        },
        new long[n],
        ok);
    System.out.printf(
        "warm-up: %d of %d allocations into a separate pool, %.1f pods/s%n",
        ok[0], n, ok[0] / ((System.nanoTime() - t0) / 1e9));
  }

  private static Side ours(
      ClusterFixtures fx, List<String> nodes, List<DaemonProcess> daemons, int n, int inflight)
      throws Exception {
    KubernetesClient client = fx.client();
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.96.0.0/16", List.of(range("10.96", n)), null, s -> {});
    List<Pod> pods = createPods(fx, nodes, n, NS, "p");
    Map<String, Long> processes = new LinkedHashMap<>(CpuCensus.controlPlane());
    for (DaemonProcess d : daemons) {
      processes.put("daemon " + d.node(), d.pid());
    }
    processes.put("load generator (this JVM)", ProcessHandle.current().pid());
    long[] latency = new long[n];
    int[] ok = new int[1];
    Map<String, Double> cpuBefore = CpuCensus.snapshot(processes);
    Map<String, Double> reqBefore = ApiserverRequests.snapshot(client);
    long t0 = System.nanoTime();
    List<String> ips =
        run(
            n,
            inflight,
            i -> {
              AgentSocket.Response r =
                  new AgentSocket(daemons.get(i % daemons.size()).socket())
                      .send("POST", "/v1/ipam/ip", addArgs(pods.get(i), i, POOL));
              if (r.status() != 200) {
                System.err.printf(
                    "spiderpool ADD %s: HTTP %d %s%n",
                    pods.get(i).getMetadata().getName(), r.status(), r.body());
                return null;
              }
              JsonNode a = JSON.readTree(r.body()).path("ips");
              return a.size() == 0 ? null : a.get(0).path("address").asText();
            },
            latency,
            ok);
    double secs = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> cpu = diff(cpuBefore, CpuCensus.snapshot(processes));
    Map<String, Double> req = diff(reqBefore, ApiserverRequests.snapshot(client));
    PoolConsistency pc = new PoolConsistency(client);
    int records = pc.records(POOL).size();
    List<String> violations = pc.violations(List.of(POOL), List.of(NS), List.of());
    violations.stream().limit(10).forEach(v -> System.out.println("  spiderpool: " + v));
    return new Side(
        "spiderpool",
        ok[0],
        n - ok[0],
        duplicates(ips),
        records + " records, " + violations.size() + " inconsistencies",
        secs,
        new Latencies(latency),
        req,
        cpu);
  }

  private static Side whereabouts(
      ClusterFixtures fx,
      List<String> nodes,
      Path plugin,
      Path flatFile,
      Path state,
      int n,
      int inflight)
      throws Exception {
    KubernetesClient client = fx.client();
    fx.namespace(WB_NS, Map.of(), Map.of());
    List<Pod> pods = createPods(fx, nodes, n, WB_NS, "p");
    String conf = whereaboutsNetConf("bench-wb", "10.98.0.0/16", "10.98.0.1", last("10.98", n));
    Map<String, Long> processes = new LinkedHashMap<>(CpuCensus.controlPlane());
    processes.put("load generator (this JVM)", ProcessHandle.current().pid());
    long[] latency = new long[n];
    int[] ok = new int[1];
    Map<String, Double> cpuBefore = CpuCensus.snapshot(processes);
    double childrenBefore = CpuCensus.reapedChildrenSeconds();
    Map<String, Double> reqBefore = ApiserverRequests.snapshot(client);
    long t0 = System.nanoTime();
    List<String> ips =
        run(
            n,
            inflight,
            i -> {
              Pod p = pods.get(i);
              PluginRun r =
                  PluginRun.add(plugin, conf(conf, flatFile), cniEnv(p, "wb-" + i), state);
              if (r.exit() != 0) {
                System.err.printf(
                    "whereabouts ADD %s: exit %d %s%n",
                    p.getMetadata().getName(), r.exit(), r.stdout() + r.stderr());
                return null;
              }
              JsonNode a = JSON.readTree(r.stdout()).path("ips");
              return a.size() == 0 ? null : a.get(0).path("address").asText();
            },
            latency,
            ok);
    double secs = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> cpu = diff(cpuBefore, CpuCensus.snapshot(processes));
    cpu.put("whereabouts processes", CpuCensus.reapedChildrenSeconds() - childrenBefore);
    Map<String, Double> req = diff(reqBefore, ApiserverRequests.snapshot(client));
    // what whereabouts itself recorded: one allocation per address in its IPPool
    int recorded = 0;
    for (GenericKubernetesResource pool :
        client
            .genericKubernetesResources("whereabouts.cni.cncf.io/v1alpha1", "IPPool")
            .inNamespace(WB_LEASE_NS)
            .list()
            .getItems()) {
      Object alloc = ((Map<?, ?>) pool.getAdditionalProperties().get("spec")).get("allocations");
      recorded += alloc instanceof Map<?, ?> m ? m.size() : 0;
    }
    return new Side(
        "whereabouts",
        ok[0],
        n - ok[0],
        duplicates(ips),
        recorded + " allocations in its IPPool",
        secs,
        new Latencies(latency),
        req,
        cpu);
  }

  private static String whereaboutsNetConf(String name, String range, String first, String last)
      throws IOException {
    Map<String, Object> ipam = new LinkedHashMap<>();
    ipam.put("type", "whereabouts");
    ipam.put("range", range);
    ipam.put("range_start", first);
    ipam.put("range_end", last);
    Map<String, Object> net = new LinkedHashMap<>();
    net.put("cniVersion", "1.0.0");
    net.put("name", name);
    net.put("type", "macvlan");
    net.put("ipam", ipam);
    return JSON.writeValueAsString(net);
  }

  /** The CNI config with {@code configuration_path} pointing at the flat file. */
  private static String conf(String netConf, Path flatFile) throws IOException {
    JsonNode n = JSON.readTree(netConf);
    ((ObjectNode) n.path("ipam")).put("configuration_path", flatFile.toString());
    return JSON.writeValueAsString(n);
  }

  private static Map<String, String> cniEnv(Pod p, String containerId) {
    return Map.of(
        "CNI_COMMAND",
        "ADD",
        "CNI_CONTAINERID",
        containerId,
        "CNI_NETNS",
        "/var/run/netns/" + containerId,
        "CNI_IFNAME",
        "eth0",
        "CNI_PATH",
        "/usr/lib/cni",
        "CNI_ARGS",
        "IgnoreUnknown=1;K8S_POD_NAMESPACE="
            + p.getMetadata().getNamespace()
            + ";K8S_POD_NAME="
            + p.getMetadata().getName()
            + ";K8S_POD_UID="
            + p.getMetadata().getUid()
            + ";K8S_POD_INFRA_CONTAINER_ID="
            + containerId);
  }

  /**
   * One plugin process: its exit code, output, wall time and CPU time (meaningful only when no
   * other child of this JVM ends meanwhile).
   */
  record PluginRun(int exit, String stdout, String stderr, long nanos, double cpuSeconds) {
    static PluginRun add(Path plugin, String stdin, Map<String, String> env, Path state)
        throws IOException, InterruptedException {
      ProcessBuilder pb = new ProcessBuilder(plugin.toString());
      pb.environment().clear();
      pb.environment().put("PATH", "/usr/bin:/bin");
      pb.environment().putAll(env);
      pb.directory(state.toFile());
      double cpu0 = CpuCensus.reapedChildrenSeconds();
      long t0 = System.nanoTime();
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      Future<byte[]> err =
          CompletableFuture.supplyAsync(
              () -> {
                try (InputStream e = p.getErrorStream()) {
                  return e.readAllBytes();
                } catch (IOException e) {
                  return new byte[0];
                }
              });
      byte[] out;
      try (InputStream o = p.getInputStream()) {
        out = o.readAllBytes();
      }
      int exit = p.waitFor();
      long nanos = System.nanoTime() - t0;
      // this JVM's reaped-children time grew by this process's CPU time when it ran alone
      double cpu = CpuCensus.reapedChildrenSeconds() - cpu0;
      try {
        return new PluginRun(
            exit,
            new String(out, StandardCharsets.UTF_8),
            new String(err.get(), StandardCharsets.UTF_8),
            nanos,
            cpu);
      } catch (ExecutionException e) {
        throw new IOException(e);
      }
    }
  }

  /** A task per index, {@code inflight} at a time; returns what each returned (null: failed). */
  interface Task {
    String call(int i) throws Exception;
  }

  private static List<String> run(int n, int inflight, Task task, long[] latency, int[] ok)
      throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(inflight);
    List<Future<String>> fs = new ArrayList<>();
    AtomicInteger good = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      int idx = i;
      fs.add(
          ex.submit(
              () -> {
                long s = System.nanoTime();
                String r;
                try {
                  r = task.call(idx);
                } catch (Exception e) {
                  System.err.printf("request %d: %s%n", idx, e);
                  r = null;
                }
                latency[idx] = System.nanoTime() - s;
                if (r != null) {
                  good.incrementAndGet();
                }
                return r;
              }));
    }
    List<String> out = new ArrayList<>();
    for (Future<String> f : fs) {
      out.add(f.get());
    }
    ex.shutdown();
    ok[0] = good.get();
    return out;
  }

  private static long duplicates(List<String> ips) {
    List<String> given = ips.stream().filter(s -> s != null).toList();
    return given.size() - given.stream().distinct().count();
  }

  private static Map<String, Double> diff(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.forEach(
        (k, v) -> {
          double d = v - before.getOrDefault(k, 0.0);
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }

  private static void table(Side ours, Side wb, int pods) {
    System.out.printf(
        "%nside by side: %d allocations, one pool, same control plane (ratio = whereabouts /"
            + " spiderpool, or spiderpool / whereabouts for pods/s)%n",
        pods);
    String f = "  %-40s %14s %14s %10s%n";
    System.out.printf(f, "", "spiderpool", "whereabouts", "ratio");
    row(f, "pods/s", ours.podsPerSecond(), wb.podsPerSecond(), true, "%.1f");
    row(f, "wall time, s", ours.seconds(), wb.seconds(), false, "%.1f");
    row(f, "ADD latency p50, ms", ours.latency().ms(50), wb.latency().ms(50), false, "%.0f");
    row(f, "ADD latency p99, ms", ours.latency().ms(99), wb.latency().ms(99), false, "%.0f");
    int okO = Math.max(1, ours.ok());
    int okW = Math.max(1, wb.ok());
    row(
        f,
        "API requests per pod",
        ours.requestsTotal() / okO,
        wb.requestsTotal() / okW,
        false,
        "%.2f");
    row(f, "API writes per pod", ours.writes() / okO, wb.writes() / okW, false, "%.2f");
    row(f, "409s", ours.conflicts(), wb.conflicts(), false, "%.0f");
    row(f, "CPU s, all processes", ours.cpuTotal(), wb.cpuTotal(), false, "%.1f");
    row(
        f,
        "CPU ms per pod, all processes",
        1000 * ours.cpuTotal() / okO,
        1000 * wb.cpuTotal() / okW,
        false,
        "%.1f");
    for (String p : List.of("kube-apiserver", "etcd", "load generator (this JVM)")) {
      row(
          f,
          "  CPU s, " + p,
          ours.cpu().getOrDefault(p, 0.0),
          wb.cpu().getOrDefault(p, 0.0),
          false,
          "%.1f");
    }
    double daemons =
        ours.cpu().entrySet().stream()
            .filter(e -> e.getKey().startsWith("daemon "))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    System.out.printf(
        f,
        "  CPU s, IPAM (daemons / plugin processes)",
        String.format("%.1f", daemons),
        String.format("%.1f", wb.cpu().getOrDefault("whereabouts processes", 0.0)),
        "");
    System.out.printf(f, "failed ADDs", ours.failures(), wb.failures(), "");
    System.out.printf(f, "addresses given twice", ours.duplicates(), wb.duplicates(), "");
    System.out.printf("  %-40s %s | %s%n", "stored", ours.records(), wb.records());
    for (Side s : List.of(ours, wb)) {
      System.out.printf("  API server requests, %s:%n", s.name());
      s.requests().entrySet().stream()
          .filter(e -> e.getValue() >= 1)
          .forEach(
              e ->
                  System.out.printf(
                      "    %-52s %8.0f  %6.3f per pod%n",
                      e.getKey(), e.getValue(), e.getValue() / Math.max(1, s.ok())));
    }
    System.out.printf(
        "peers-row: ours_pods_s=%.1f wb_pods_s=%.1f speedup=%.1f ours_p50_ms=%.0f ours_p99_ms=%.0f"
            + " wb_p50_ms=%.0f wb_p99_ms=%.0f ours_req_pod=%.2f wb_req_pod=%.2f"
            + " ours_writes_pod=%.2f wb_writes_pod=%.2f ours_409=%.0f wb_409=%.0f ours_failed=%d"
            + " wb_failed=%d ours_dup=%d wb_dup=%d%n",
        ours.podsPerSecond(),
        wb.podsPerSecond(),
        ours.podsPerSecond() / wb.podsPerSecond(),
        ours.latency().ms(50),
        ours.latency().ms(99),
        wb.latency().ms(50),
        wb.latency().ms(99),
        ours.requestsTotal() / okO,
        wb.requestsTotal() / okW,
        ours.writes() / okO,
        wb.writes() / okW,
        ours.conflicts(),
        wb.conflicts(),
        ours.failures(),
        wb.failures(),
        ours.duplicates(),
        wb.duplicates());
  }

  private static void row(
      String f, String what, double ours, double wb, boolean higherIsBetter, String num) {
    double ratio = higherIsBetter ? ours / wb : wb / ours;
    System.out.printf(
        f,
        what,
        String.format(num, ours),
        String.format(num, wb),
        Double.isFinite(ratio) ? String.format("%.1fx", ratio) : "-");
  }

  /**
   * Every allocation also creates a SpiderEndpoint: the API server's rate for creating copies of
   * one our daemons wrote, at the same concurrency, bounds our pods/s.
   */
  private static void ceiling(KubernetesClient client, Side ours, int inflight, int n)
      throws Exception {
    List<SpiderEndpoint> made =
        client.resources(SpiderEndpoint.class).inNamespace(NS).list().getItems();
    if (made.isEmpty()) {
      System.out.println("ceiling: no SpiderEndpoint to copy");
      return;
    }
    EndpointCreateRate.Result r = EndpointCreateRate.measure(client, made.get(0), inflight, n);
    System.out.printf(
        "%nceiling: raw SpiderEndpoint creates, %d in flight: %.1f/s (p50 %.0f ms, p99 %.0f ms,"
            + " %d failed); spiderpool's %.1f pods/s is %.0f %% of it%n",
        inflight,
        r.perSecond(),
        r.latency().ms(50),
        r.latency().ms(99),
        r.failures(),
        ours.podsPerSecond(),
        100 * ours.podsPerSecond() / r.perSecond());
  }

  /**
   * One CNI ADD at a time, as a process, rounds interleaving the plugins: host-local (files on this
   * host), whereabouts (its Lease and IPPool through the API server) and our installed plugin (the
   * spool of a real daemon, which writes the pool and the SpiderEndpoint).
   */
  private static void cniLatency(
      ClusterFixtures fx,
      List<String> nodes,
      List<DaemonProcess> daemons,
      Path state,
      Path wbPlugin,
      Path wbFlat,
      String installed,
      Path hostLocal,
      int runs)
      throws Exception {
    if (runs <= 0) {
      return;
    }
    fx.namespace(NS + "-cni", Map.of(), Map.of());
    fx.pool(
        POOL + "-cni", 4, "10.95.0.0/16", List.of(range("10.95", 3 * runs + 10)), null, s -> {});
    List<Pod> pods = createPods(fx, nodes.subList(0, 1), 3 * (runs + 3), NS + "-cni", "c");
    Path hlData = state.resolve("host-local");
    Map<String, IntFunction<String>> confs = new LinkedHashMap<>();
    Map<String, Path> plugins = new LinkedHashMap<>();
    if (Files.isExecutable(hostLocal)) {
      plugins.put("host-local", hostLocal);
      String c =
          JSON.writeValueAsString(
              Map.of(
                  "cniVersion", "1.0.0",
                  "name", "bench-hl",
                  "type", "macvlan",
                  "ipam",
                      Map.of(
                          "type",
                          "host-local",
                          "dataDir",
                          hlData.toString(),
                          "ranges",
                          List.of(List.of(Map.of("subnet", "10.94.0.0/16"))))));
      confs.put("host-local", i -> c);
    } else {
      System.out.println("no " + hostLocal + ": apt-get install containernetworking-plugins");
    }
    String wbConf =
        conf(whereaboutsNetConf("bench-wb-cni", "10.93.0.0/16", "10.93.0.1", "10.93.3.0"), wbFlat);
    plugins.put("whereabouts", wbPlugin);
    confs.put("whereabouts", i -> wbConf);
    if (!installed.isBlank()) {
      Map<String, Object> ipam = new LinkedHashMap<>();
      ipam.put("type", "spiderpool");
      ipam.put("ipam_unix_socket_path", daemons.get(0).socket().toString());
      ipam.put("log_file_path", state.resolve("cni.log").toString());
      ipam.put("default_ipv4_ippool", List.of(POOL + "-cni"));
      String c =
          JSON.writeValueAsString(
              Map.of("cniVersion", "1.0.0", "name", "bench", "type", "macvlan", "ipam", ipam));
      plugins.put("spiderpool (installed)", Path.of(installed));
      confs.put("spiderpool (installed)", i -> c);
    } else {
      System.out.println("no installed spiderpool plugin given (-Dbench.installedPlugin)");
    }
    Map<String, List<PluginRun>> results = new LinkedHashMap<>();
    plugins.keySet().forEach(k -> results.put(k, new ArrayList<>()));
    int podIdx = 0;
    String loadBefore = loadAverage();
    for (int round = 0; round < runs + 3; round++) {
      for (Map.Entry<String, Path> e : plugins.entrySet()) {
        Pod p = pods.get(podIdx++);
        PluginRun r =
            PluginRun.add(
                e.getValue(),
                confs.get(e.getKey()).apply(podIdx),
                cniEnv(p, "cni-" + podIdx),
                state);
        if (r.exit() != 0 || !r.stdout().contains("\"ips\"")) {
          throw new IllegalStateException(
              e.getKey() + " ADD failed (" + r.exit() + "): " + r.stdout() + r.stderr());
        }
        if (round >= 3) { // the first rounds warm the page cache and the API server's paths
          results.get(e.getKey()).add(r);
        }
      }
    }
    System.out.printf(
        "%nCNI ADD per process, one at a time, %d runs each interleaved (load average %s, after"
            + " %s)%n",
        runs, loadBefore, loadAverage());
    System.out.printf(
        "  %-26s %10s %10s %10s %12s %14s%n",
        "plugin", "p50 ms", "p99 ms", "min ms", "CPU ms mean", "p50 x host-local");
    Double hl = null;
    for (Map.Entry<String, List<PluginRun>> e : results.entrySet()) {
      Latencies w = new Latencies(e.getValue().stream().mapToLong(PluginRun::nanos).toArray());
      // CPU comes in clock ticks (10 ms): the mean over the runs is exact, a percentile is not
      double cpuMs = 1000 * e.getValue().stream().mapToDouble(PluginRun::cpuSeconds).sum() / runs;
      if (e.getKey().equals("host-local")) {
        hl = w.ms(50);
      }
      System.out.printf(
          "  %-26s %10.1f %10.1f %10.1f %12.1f %16s%n",
          e.getKey(),
          w.ms(50),
          w.ms(99),
          w.ms(0),
          cpuMs,
          hl == null ? "-" : String.format("%.1fx", w.ms(50) / hl));
    }
  }

  private static List<Pod> createPods(
      ClusterFixtures fx, List<String> nodes, int n, String ns, String prefix) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(16);
    List<Future<Pod>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
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

  /** {@code <prefix>.0.1-<n-th address>}: exactly {@code n} addresses. */
  static String range(String prefix, int n) {
    return prefix + ".0.1-" + last(prefix, n);
  }

  /** The {@code n}-th address from {@code <prefix>.0.1}. */
  static String last(String prefix, int n) {
    return prefix + "." + ((n >> 8) & 255) + "." + (n & 255);
  }
}
