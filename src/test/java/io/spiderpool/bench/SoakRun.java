// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.k8s.check.ConsistencyChecker;
import io.spiderpool.k8s.check.Inconsistency;
import io.spiderpool.testing.e2e.AgentSocket;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.DaemonProcess;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded churn run (hack/soak.sh, docs/reliability.md "Soak"): on the local control plane, two
 * {@code spiderpool daemon} processes; on each node worker threads keep up to {@code live} Pods
 * alive, creating a Pod, allocating through the agent socket, and deleting the oldest Pod (Pod
 * deleted, then DEL) once the node holds {@code live}. Every round the churn pauses between cycles,
 * the checker of {@code spiderpool check} runs over the soak's pool and namespace and the records
 * are counted against the live Pods; then each daemon's heap after a full GC, resident set, threads
 * and open files are printed. Exit status 1 on any inconsistency or failed call.
 */
public final class SoakRun {
  private static final String NS = "soak";
  private static final String POOL = "soak-v4";
  private static final List<String> NODES = List.of("soak-a", "soak-b");
  private static final int WORKERS_PER_NODE = 4;

  private SoakRun() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(Long.parseLong(args.length > 0 ? args[0] : "1200"));
    Duration round = Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "180"));
    int live = Integer.parseInt(args.length > 2 ? args[2] : "40");
    if (live < 1 || live > 100) {
      throw new IllegalArgumentException("Pods alive per node must be 1..100, got " + live);
    }
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-soak-");
    int status;
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      status = run(cp, state, duration, round, live);
    }
    System.exit(status); // fabric8's dispatcher threads would keep the JVM alive
  }

  private static int run(
      LocalControlPlane cp, Path state, Duration duration, Duration round, int live)
      throws Exception {
    ClusterFixtures fx = new ClusterFixtures(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    for (String n : NODES) {
      fx.node(n, Map.of());
    }
    fx.pool(POOL, 4, "10.98.0.0/24", List.of("10.98.0.10-10.98.0.250"), null, s -> {});
    Map<String, String> chartEnv = chartAgentEnv(Path.of("helm/spiderpool/values.yaml"));
    System.out.println("daemons run with the chart's defaults: " + chartEnv);
    List<DaemonProcess> daemons = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS_PER_NODE * NODES.size());
    ReentrantReadWriteLock pause = new ReentrantReadWriteLock(true);
    AtomicLong cycles = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    List<Deque<Pod>> alive = new ArrayList<>();
    int bad = 0;
    Map<String, List<long[]>> samples = new LinkedHashMap<>();
    try {
      for (String n : NODES) {
        Path sock = state.resolve(n + ".sock");
        Path conf =
            Files.writeString(
                state.resolve(n + ".yml"),
                "ipamUnixSocketPath: "
                    + sock
                    + "\nenableIPv4: true\nenableIPv6: false\nenableIPConflictDetection: false\n"
                    + "enableGatewayDetection: false\n");
        daemons.add(
            DaemonProcess.start(cp.kubeconfig(), n, sock, conf, chartEnv, Duration.ofSeconds(120)));
        alive.add(new ArrayDeque<>());
      }
      long end = System.nanoTime() + duration.toNanos();
      for (int i = 0; i < NODES.size(); i++) {
        DaemonProcess d = daemons.get(i);
        Deque<Pod> mine = alive.get(i);
        for (int w = 0; w < WORKERS_PER_NODE; w++) {
          workers.submit(
              () -> {
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                  pause.readLock().lock();
                  try {
                    cycle(fx, d, mine, live, seq.incrementAndGet());
                    cycles.incrementAndGet();
                  } catch (Exception e) {
                    failures.incrementAndGet();
                    System.out.println("FAILED on " + d.node() + ": " + e.getMessage());
                  } finally {
                    pause.readLock().unlock();
                  }
                }
                return null;
              });
        }
      }
      workers.shutdown();
      long t0 = System.nanoTime();
      System.out.printf(
          "soak: %d s, a round every %d s, %d Pods alive per node, %d workers per node%n",
          duration.toSeconds(), round.toSeconds(), live, WORKERS_PER_NODE);
      System.out.println(
          "  t(s)  cycles  failed  records  bad | per daemon: heap-after-GC(KiB) rss(KiB) threads fds");
      boolean last = false;
      while (!last) {
        last = workers.awaitTermination(round.toSeconds(), TimeUnit.SECONDS);
        pause.writeLock().lock();
        try {
          bad += report(cp, fx, daemons, alive, cycles.get(), failures.get(), t0, samples);
        } finally {
          pause.writeLock().unlock();
        }
      }
      for (int i = 0; i < NODES.size(); i++) {
        for (Pod p : alive.get(i)) {
          release(fx, daemons.get(i), p);
        }
        alive.get(i).clear();
      }
      bad += drift(samples);
      int leftAfterDel = new PoolConsistency(cp.client()).records(POOL).size();
      System.out.printf("after DEL of every Pod: %d records left%n", leftAfterDel);
      bad += leftAfterDel;
    } finally {
      workers.shutdownNow();
      daemons.forEach(DaemonProcess::close);
    }
    long failed = failures.get();
    System.out.printf(
        "soak %s: %d cycles, %d failed, %d inconsistencies%n",
        failed == 0 && bad == 0 ? "clean" : "NOT CLEAN", cycles.get(), failed, bad);
    return failed == 0 && bad == 0 ? 0 : 1;
  }

  /** One Pod in, and the node's oldest out once it holds {@code live}. */
  private static void cycle(ClusterFixtures fx, DaemonProcess d, Deque<Pod> mine, int live, long n)
      throws Exception {
    Pod p = fx.createRunning(ClusterFixtures.pod(NS, d.node() + "-" + n, d.node()));
    AgentSocket.Response r = new AgentSocket(d.socket()).send("POST", "/v1/ipam/ip", body(p, true));
    if (r.status() != 200) {
      throw new IllegalStateException(
          "ADD of " + p.getMetadata().getName() + ": HTTP " + r.status() + " " + r.body());
    }
    Object ips = ((Map<?, ?>) JsonReader.parse(r.body())).get("ips");
    if (!(ips instanceof List<?> l) || l.isEmpty()) {
      throw new IllegalStateException(
          "ADD of " + p.getMetadata().getName() + " answered no address: " + r.body());
    }
    Pod oldest = null;
    synchronized (mine) {
      mine.addLast(p);
      if (mine.size() > live) {
        oldest = mine.pollFirst();
      }
    }
    if (oldest != null) {
      release(fx, d, oldest);
    }
  }

  private static void release(ClusterFixtures fx, DaemonProcess d, Pod p) throws IOException {
    fx.deleteNow(p);
    AgentSocket.Response r =
        new AgentSocket(d.socket()).send("DELETE", "/v1/ipam/ip", body(p, false));
    if (r.status() != 200) {
      throw new IllegalStateException(
          "DEL of " + p.getMetadata().getName() + ": HTTP " + r.status() + " " + r.body());
    }
  }

  private static String body(Pod p, boolean add) {
    String name = p.getMetadata().getName();
    return "{\"containerID\":\"soak-"
        + name
        + "\",\"ifName\":\"eth0\","
        + (add ? "\"netNamespace\":\"/var/run/netns/soak-" + name + "\"," : "")
        + "\"podNamespace\":\""
        + NS
        + "\",\"podName\":\""
        + name
        + "\",\"podUID\":\""
        + p.getMetadata().getUid()
        + "\""
        + (add ? ",\"defaultIPv4IPPool\":[\"" + POOL + "\"]" : "")
        + "}";
  }

  /** One line of figures; returns the number of inconsistencies found. */
  private static int report(
      LocalControlPlane cp,
      ClusterFixtures fx,
      List<DaemonProcess> daemons,
      List<Deque<Pod>> alive,
      long cycles,
      long failures,
      long t0,
      Map<String, List<long[]>> samples) {
    List<Inconsistency> found =
        new ConsistencyChecker(cp.client())
            .check().found().stream()
                .filter(i -> i.pool().equals(POOL) || i.pod().startsWith(NS + "/"))
                .toList();
    int records = new PoolConsistency(cp.client()).records(POOL).size();
    int expected = alive.stream().mapToInt(Deque::size).sum();
    int bad = found.size() + (records == expected ? 0 : 1);
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%6d %7d %7d %8d %4d |",
                (System.nanoTime() - t0) / 1_000_000_000L, cycles, failures, records, bad));
    for (DaemonProcess d : daemons) {
      long[] sample = {
        heapAfterGc(d.pid()), status(d.pid(), "VmRSS:"), status(d.pid(), "Threads:"), fds(d.pid())
      };
      samples.computeIfAbsent(d.node(), k -> new ArrayList<>()).add(sample);
      line.append(
          String.format(" %s: %d %d %d %d", d.node(), sample[0], sample[1], sample[2], sample[3]));
    }
    System.out.println(line);
    found.forEach(i -> System.out.println("  INCONSISTENT: " + i));
    if (records != expected) {
      System.out.printf("  INCONSISTENT: %d records for %d live Pods%n", records, expected);
    }
    return bad;
  }

  /**
   * The node daemon's JVM options and extra environment from the chart's values, so the soak
   * measures the process as the chart runs it (heap cap, GC, malloc arenas).
   */
  static Map<String, String> chartAgentEnv(Path values) throws IOException {
    JsonNode agent =
        new ObjectMapper(new YAMLFactory()).readTree(values.toFile()).path("spiderpoolAgent");
    Map<String, String> env = new LinkedHashMap<>();
    String options = agent.path("javaOptions").asText("");
    if (options.isBlank()) {
      throw new IllegalStateException(values + " has no spiderpoolAgent.javaOptions");
    }
    env.put("JAVA_TOOL_OPTIONS", options);
    for (JsonNode e : agent.path("extraEnv")) {
      env.put(e.path("name").asText(), e.path("value").asText());
    }
    return env;
  }

  /** Growth allowed from the first round to the last: heap after GC, threads, open files. */
  static final long HEAP_SLACK_KIB = 16 * 1024;

  static final long THREAD_SLACK = 16;
  static final long FD_SLACK = 32;

  /**
   * Compares each daemon's last round with its first: heap after a full GC may grow by half plus
   * {@link #HEAP_SLACK_KIB} (caches settle after the first round), threads and open files by a
   * fixed few. More, or a figure that could not be read, counts as one inconsistency per daemon.
   * RSS is printed, not judged: the JVM grows it toward the heap cap without a leak.
   */
  static int drift(Map<String, List<long[]>> samples) {
    int bad = 0;
    for (Map.Entry<String, List<long[]>> e : samples.entrySet()) {
      long[] first = e.getValue().get(0);
      long[] last = e.getValue().get(e.getValue().size() - 1);
      boolean unread = Arrays.stream(last).anyMatch(v -> v < 0);
      boolean heap = last[0] <= first[0] + first[0] / 2 + HEAP_SLACK_KIB;
      boolean threads = last[2] <= first[2] + THREAD_SLACK;
      boolean fds = last[3] <= first[3] + FD_SLACK;
      boolean flat = !unread && heap && threads && fds;
      System.out.printf(
          "drift %s, first round to last: heap %+d KiB, rss %+d KiB, threads %+d, fds %+d: %s%n",
          e.getKey(),
          last[0] - first[0],
          last[1] - first[1],
          last[2] - first[2],
          last[3] - first[3],
          flat
              ? "flat"
              : "NOT FLAT"
                  + (unread ? " (a figure could not be read)" : "")
                  + (heap ? "" : " (heap)")
                  + (threads ? "" : " (threads)")
                  + (fds ? "" : " (open files)"));
      bad += flat ? 0 : 1;
    }
    return bad;
  }

  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  /** The daemon's heap in use right after a full GC ({@code jcmd GC.run}, then GC.heap_info). */
  private static long heapAfterGc(long pid) {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    try {
      jcmd(jcmd, pid, "GC.run");
      return heapUsedKib(jcmd(jcmd, pid, "GC.heap_info"));
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  /**
   * The heap in use from {@code GC.heap_info}: the sum of the generations' or regions' {@code total
   * ..K, used ..K} lines (one for G1, young and tenured for Serial and Parallel); -1 if none.
   */
  static long heapUsedKib(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    long used = 0;
    boolean any = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      any = true;
    }
    return any ? used : -1;
  }

  private static String jcmd(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static long status(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException gone) {
      return -1;
    }
    return -1;
  }

  private static long fds(long pid) {
    try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return s.count();
    } catch (IOException gone) {
      return -1;
    }
  }
}
