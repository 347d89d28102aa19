// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.store.KubernetesEndpointStore;
import io.spiderpool.service.ipam.EndpointRecord;
import io.spiderpool.testing.Waits;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test) of a node daemon's memory on a populated cluster: 10,000 Pods (1,000 on
 * the daemon's node), 200 SpiderIPPools holding their records and 10,000 SpiderEndpoints, all on
 * the local control plane. For each set of JVM options a daemon starts (not campaigning for the
 * controller role), serves 100 ADDs of new Pods on its node, settles, and its resident set (VmRSS)
 * and thread count are read; then the same for a daemon that holds the controller role (which
 * watches Pods, endpoints and pools cluster-wide). Run with {@code hack/bench-memory.sh}.
 *
 * <p>Arguments: {@code [pods=10000] [on the node=1000] [pools=200] [smaller]}: with {@code
 * smaller}, the cluster is first populated to that many Pods and endpoints and only the role holder
 * measured there (how it scales), then grown to {@code pods}. JVM option sets from {@code
 * -Dbench.memory.options} (sets separated by {@code |}; the role holder runs with {@code
 * -Dbench.memory.roleOptions}, else the last set); extra daemon environment from {@code
 * -Dbench.memory.env} ({@code K=V,K=V}). A set that begins {@code jar=PATH} runs the daemon from
 * that build's {@code quarkus-run.jar} (a before/after comparison in one run), and {@code
 * java=JDK_HOME} runs it on that JDK (e.g. the Temurin 25 the image carries). A set whose options
 * write a class archive at exit ({@code -XX:ArchiveClassesAtExit}, {@code -XX:AOTCacheOutput}) is
 * stopped gracefully and waited for, so a later set can map the archive.
 */
public final class MemoryBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "mem-node-00";
  private static final int NAMESPACES = 20;
  private static final int OTHER_NODES = 9;
  private static final int ADDS = 100;
  private static final Duration SETTLE = Duration.ofSeconds(20);
  // options of a run that writes a class archive or AOT cache when the JVM exits
  private static final Pattern TRAINING =
      Pattern.compile("ArchiveClassesAtExit|AOTCacheOutput|AOTMode=record");

  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int onNode = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int pools = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    // a smaller cluster first, where only the role holder is measured (its scaling), then grown
    int smaller = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    List<String> optionSets =
        List.of(
            System.getProperty(
                    "bench.memory.options",
                    "-Xmx256m -XX:+UseSerialGC|-Xmx96m -Xss256k -XX:+UseSerialGC")
                .split("\\|"));
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-membench-");
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      KubernetesClient client = cp.client();
      String[] roleSets =
          System.getProperty("bench.memory.roleOptions", optionSets.get(optionSets.size() - 1))
              .split("\\|");
      int run = 0;
      List<Pod> created = new ArrayList<>();
      if (smaller > 0 && smaller < pods) {
        created = populateAndSay(client, created, smaller, onNode, pools);
        for (String opts : roleSets) {
          measureOrSay(cp, state, opts.trim(), true, run++);
        }
      }
      created = populateAndSay(client, created, pods, onNode, pools);
      for (String opts : optionSets) {
        measureOrSay(cp, state, opts.trim(), false, run++);
      }
      for (String opts : roleSets) {
        measureOrSay(cp, state, opts.trim(), true, run++);
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1); // the control plane is closed; the dispatcher threads must not keep us
    }
    System.exit(0); // fabric8's dispatcher threads would keep the JVM alive
  }

  private static List<Pod> populateAndSay(
      KubernetesClient client, List<Pod> before, int pods, int onNode, int pools) throws Exception {
    long t0 = System.nanoTime();
    List<Pod> all = populate(client, before, pods, onNode, pools);
    System.out.printf(
        "%npopulated in %.0f s: %d Pods (%d on %s), %d pools with their records, %d endpoints%n",
        (System.nanoTime() - t0) / 1e9, all.size(), Math.min(onNode, pods), NODE, pools, pods);
    System.out.printf(
        "%n| JVM options | role | RSS MiB after %d ADDs + %d s | anon | file | threads | ADD p50"
            + " ms | CPU s (ADDs + settle) | CPU s (start-up) |%n",
        ADDS, SETTLE.toSeconds());
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    return all;
  }

  /** One row; a daemon that fails (e.g. out of heap) gets a row saying so, and the runs go on. */
  private static void measureOrSay(
      LocalControlPlane cp, Path state, String opts, boolean role, int run) {
    try {
      measure(cp, state, opts, role, run);
    } catch (Exception | AssertionError e) {
      System.out.printf(
          "| `%s` | %s | — (failed: %s; see target/e2e-logs/%s.log) | | | | | | |%n",
          opts, role ? "holds the controller role" : "node daemon", e.getMessage(), NODE);
    }
  }

  private static void measure(LocalControlPlane cp, Path state, String opts, boolean role, int run)
      throws Exception {
    // "jar=PATH java=JDK rest", prefixes in any order: this set runs another build's
    // quarkus-run.jar (e.g. main's, for a before) and/or on another JDK (e.g. the image's)
    System.clearProperty("spiderpool.e2e.jar");
    System.clearProperty("spiderpool.e2e.java");
    String jvmOptions = opts;
    while (jvmOptions.startsWith("jar=") || jvmOptions.startsWith("java=")) {
      int space = jvmOptions.indexOf(' ');
      String prefix = space < 0 ? jvmOptions : jvmOptions.substring(0, space);
      int eq = prefix.indexOf('=');
      System.setProperty(
          prefix.startsWith("jar=") ? "spiderpool.e2e.jar" : "spiderpool.e2e.java",
          prefix.substring(eq + 1));
      jvmOptions = space < 0 ? "" : jvmOptions.substring(space + 1).trim();
    }
    KubernetesClient client = cp.client();
    ClusterFixtures fx = new ClusterFixtures(client);
    List<Pod> fresh = new ArrayList<>();
    for (int i = 0; i < ADDS; i++) {
      fresh.add(fx.createRunning(ClusterFixtures.pod("mem-0", "add-" + run + "-" + i, NODE)));
    }
    Path sock = state.resolve("mem-" + run + ".sock");
    Path conf =
        Files.writeString(
            state.resolve("mem-" + run + ".yml"),
            "ipamUnixSocketPath: "
                + sock
                + "\nenableIPv4: true\nenableIPv6: false\nenableIPConflictDetection: false\n"
                + "enableGatewayDetection: false\n");
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_TOOL_OPTIONS", jvmOptions);
    // e.g. MALLOC_ARENA_MAX=2: glibc's per-thread malloc arenas are much of a JVM's native memory
    for (String kv : System.getProperty("bench.memory.env", "").split(",")) {
      if (kv.contains("=")) {
        env.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
      }
    }
    env.put("SPIDERPOOL_CONTROLLER_ROLE_ENABLED", Boolean.toString(role));
    env.put("SPIDERPOOL_CONTROLLER_NODE_SELECTOR", "mem-bench.spiderpool.io/role");
    // as the chart's daemons: every one serves the admission webhooks (not registered here: the
    // bench's objects are written by the bench, not admitted)
    env.putIfAbsent("SPIDERPOOL_WEBHOOK_ENABLED", "true"); // BENCH_MEMORY_ENV may say false
    List<String> webhook =
        List.of(
            "--webhook-port",
            Integer.toString(DaemonProcess.freePort()),
            "--tls-server-cert",
            cp.property("SPIDERPOOL_CP_WEBHOOK_CRT"),
            "--tls-server-key",
            cp.property("SPIDERPOOL_CP_WEBHOOK_KEY"));
    try (DaemonProcess d =
        DaemonProcess.start(
            cp.kubeconfig(), NODE, sock, conf, env, webhook, Duration.ofSeconds(180))) {
      if (role) {
        awaitHolder(client, Duration.ofSeconds(120));
      }
      long[] latency = new long[ADDS];
      long cpuBefore = cpuTicks(d.pid());
      for (int i = 0; i < ADDS; i++) {
        Pod p = fresh.get(i);
        long s = System.nanoTime();
        AgentSocket.Response r =
            new AgentSocket(d.socket()).send("POST", "/v1/ipam/ip", addArgs(p, run, i));
        latency[i] = System.nanoTime() - s;
        if (r.status() != 200) {
          System.err.println("ADD " + p.getMetadata().getName() + ": " + r.body());
        }
      }
      // let caches and GC settle before reading RSS; the daemon must stay up all that time
      long pid = d.pid();
      Waits.holdsFor(
          "the daemon stays up while it settles",
          SETTLE,
          Duration.ofMillis(500),
          () -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true));
      Map<String, Long> st = status(d.pid());
      double cpu = (cpuTicks(d.pid()) - cpuBefore) / 100.0; // USER_HZ
      System.out.printf(
          "| `%s` | %s | %d | %d | %d | %d | %.1f | %.2f | %.2f |%n",
          opts,
          role ? "holds the controller role" : "node daemon",
          st.getOrDefault("VmRSS", 0L) / 1024,
          st.getOrDefault("RssAnon", 0L) / 1024,
          st.getOrDefault("RssFile", 0L) / 1024 + st.getOrDefault("RssShmem", 0L) / 1024,
          st.getOrDefault("Threads", 0L),
          new Latencies(latency).ms(50),
          cpu,
          cpuBefore / 100.0);
      String dump = System.getProperty("bench.memory.dump", "");
      String live = "";
      if (!dump.isEmpty()) {
        dump(d.pid(), Path.of(dump), run);
        // the class histogram collected in full first: its total is the live heap, and the RSS
        // now is what a full collection gives back (Serial GC shrinks only then)
        live = String.format("%.1f", liveHeapBytes(Path.of(dump), run) / 1048576.0);
        Map<String, Long> after = status(d.pid());
        System.out.printf(
            "  (%s) live heap after a full GC %s MiB; RSS then %d MiB (anon %d)%n",
            role ? "role" : "run " + run,
            live,
            after.getOrDefault("VmRSS", 0L) / 1024,
            after.getOrDefault("RssAnon", 0L) / 1024);
      }
      if (TRAINING.matcher(jvmOptions).find()) {
        // a training run writes its class archive at exit: let it finish instead of killing it
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(300, TimeUnit.SECONDS).join());
      }
    }
  }

  /** The total of the class histogram that {@link #dump} kept for this run, in bytes. */
  private static long liveHeapBytes(Path dir, int run) throws Exception {
    long total = 0;
    for (String line : Files.readAllLines(dir.resolve("run-" + run + "-GC.class_histogram.txt"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[0].equals("Total")) {
        total = Long.parseLong(f[2]);
      }
    }
    return total;
  }

  private static void awaitHolder(KubernetesClient client, Duration max) {
    // the only daemon running is the one measured; its identity is its host's name
    await("the daemon on " + NODE + " takes the Lease")
        .atMost(max)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                client.leases().inAnyNamespace().list().getItems().stream()
                    .map(l -> l.getSpec() == null ? null : l.getSpec().getHolderIdentity())
                    .anyMatch(h -> h != null && !h.isEmpty()));
  }

  /**
   * User + system CPU of the process so far, in clock ticks (/proc/PID/stat); 0 once it is gone.
   */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
    } catch (Exception gone) {
      return 0;
    }
  }

  /** The numeric fields of /proc/PID/status (kB or counts); empty once the process is gone. */
  private static Map<String, Long> status(long pid) {
    Map<String, Long> out = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        int colon = line.indexOf(':');
        String digits = line.substring(colon + 1).replaceAll("[^0-9]", "");
        if (colon > 0 && !digits.isEmpty() && digits.length() < 18) {
          out.put(line.substring(0, colon), Long.parseLong(digits));
        }
      }
    } catch (Exception gone) {
      return Map.of();
    }
    return out;
  }

  /**
   * Where the memory goes, for {@code -Dbench.memory.dump=DIR}: jcmd's native memory summary (the
   * options must carry {@code -XX:NativeMemoryTracking=summary}), metaspace, loaded classes, heap,
   * class histogram and threads, each into {@code DIR/run-N-*.txt}.
   */
  private static void dump(long pid, Path dir, int run) throws Exception {
    Files.createDirectories(dir);
    for (String cmd :
        List.of(
            "VM.native_memory summary",
            "VM.metaspace",
            "VM.class_hierarchy",
            "GC.heap_info",
            "GC.class_histogram",
            "Thread.print")) {
      String jdk = System.getProperty("spiderpool.e2e.java", System.getProperty("java.home"));
      List<String> argv =
          new ArrayList<>(List.of(Path.of(jdk, "bin", "jcmd").toString(), Long.toString(pid)));
      argv.addAll(List.of(cmd.split(" ")));
      Path out = dir.resolve("run-" + run + "-" + cmd.split(" ")[0] + ".txt");
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static String addArgs(Pod p, int run, int i) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("containerID", "mem-" + run + "-" + i);
    m.put("ifName", "eth0");
    m.put("netNamespace", "/var/run/netns/mem-" + run + "-" + i);
    m.put("podNamespace", p.getMetadata().getNamespace());
    m.put("podName", p.getMetadata().getName());
    m.put("podUID", p.getMetadata().getUid());
    m.put("defaultIPv4IPPool", List.of("mem-pool-" + (run % 200)));
    m.put("cleanGateway", false);
    return JSON.writeValueAsString(m);
  }

  /** Pods, pools with their records, endpoints; returns the Pods. */
  /**
   * Grows the cluster to {@code pods}: the Pods after {@code before} (the Pods made so far; none:
   * also the namespaces, nodes and pools), their endpoints, and their records added to the pools'.
   * Returns all Pods.
   */
  private static List<Pod> populate(
      KubernetesClient client, List<Pod> before, int pods, int onNode, int pools) throws Exception {
    ClusterFixtures fx = new ClusterFixtures(client);
    boolean first = before.isEmpty();
    if (first) {
      for (int n = 0; n < NAMESPACES; n++) {
        fx.namespace("mem-" + n, Map.of("team", "t" + n), Map.of());
      }
      fx.node(NODE, Map.of("mem-bench.spiderpool.io/role", ""));
      for (int n = 1; n <= OTHER_NODES; n++) {
        fx.node(String.format("mem-node-%02d", n), Map.of());
      }
    }
    ExecutorService ex = Executors.newFixedThreadPool(16);
    List<Future<Pod>> fs = new ArrayList<>();
    for (int i = before.size(); i < pods; i++) {
      int idx = i;
      fs.add(ex.submit(() -> client.resource(pod(idx, onNode)).create()));
    }
    List<Pod> out = new ArrayList<>(before);
    for (Future<Pod> f : fs) {
      out.add(f.get());
    }
    // each pool holds the records of every pools-th Pod, as allocation would have left them
    List<Callable<Void>> writes = new ArrayList<>();
    for (int k = 0; k < pools; k++) {
      int pool = k;
      writes.add(
          () -> {
            String name = "mem-pool-" + pool;
            String subnet = "10." + (100 + pool / 256) + "." + (pool % 256) + ".0/24";
            String base = subnet.substring(0, subnet.lastIndexOf('.'));
            SpiderIPPool p =
                first
                    ? fx.pool(name, 4, subnet, List.of(base + ".1-" + base + ".250"), null, s -> {})
                    : client.resources(SpiderIPPool.class).withName(name).get();
            // on a later step the records so far (the first step's and its ADDs') stay
            String held = p.getStatus() == null ? null : p.getStatus().getAllocatedIPs();
            PoolState st =
                new PoolState(
                    name,
                    PoolSpace.of(subnet, List.of(base + ".1-" + base + ".250"), null, null, null),
                    held == null || held.isEmpty() ? PoolRecords.empty() : PoolRecords.parse(held),
                    RangeSet.empty(IpFamily.V4),
                    5000);
            List<EndpointRecord> eps = new ArrayList<>();
            int from = before.size() + Math.floorMod(pool - before.size(), pools);
            for (int i = from; i < out.size(); i += pools) {
              Pod pd = out.get(i);
              String ns = pd.getMetadata().getNamespace();
              String pn = pd.getMetadata().getName();
              PoolState.Allocated a =
                  st.allocate(ns + "/" + pn, pd.getMetadata().getUid(), Set.of());
              st = a.next();
              eps.add(
                  new EndpointRecord(
                      ns,
                      pn,
                      pd.getMetadata().getUid(),
                      pd.getSpec().getNodeName(),
                      "ReplicaSet",
                      "rs-" + (i % 500),
                      List.of(
                          new EndpointRecord.Nic(
                              "eth0",
                              a.ip() + "/24",
                              name,
                              null,
                              null,
                              null,
                              null,
                              false,
                              List.of())),
                      false,
                      null));
            }
            SpiderIPPoolStatus status = new SpiderIPPoolStatus();
            status.setAllocatedIPs(st.records().toJson());
            status.setAllocatedIPCount((long) st.records().size());
            status.setTotalIPCount(250L);
            p.setStatus(status);
            client.resource(p).updateStatus();
            KubernetesEndpointStore store = new KubernetesEndpointStore(client);
            eps.forEach(store::create);
            return null;
          });
    }
    for (Future<Void> f : ex.invokeAll(writes)) {
      f.get();
    }
    ex.shutdown();
    return out;
  }

  /** A Pod about the size of a Deployment's: labels, one container with env and resources. */
  private static Pod pod(int i, int onNode) {
    String node = i < onNode ? NODE : String.format("mem-node-%02d", 1 + i % OTHER_NODES);
    String app = "app-" + (i % 500);
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("mem-" + (i % NAMESPACES))
        .withName(app + "-" + Integer.toHexString(0x10000 + i))
        .withLabels(Map.of("app", app, "pod-template-hash", "5d8f" + (i % 500), "tier", "web"))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("main")
        .withImage("registry.invalid/team/" + app + ":1.2.3")
        .addNewEnv()
        .withName("APP_NAME")
        .withValue(app)
        .endEnv()
        .addNewEnv()
        .withName("LOG_LEVEL")
        .withValue("info")
        .endEnv()
        .addNewPort()
        .withContainerPort(8080)
        .withName("http")
        .endPort()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
        .withLimits(Map.of("memory", new Quantity("256Mi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
