// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.controller.GcFixture;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * GC latency: N Pods hold addresses (allocated by the real engine, as an agent would), the
 * controller role runs in-process, and each Pod is deleted with no CNI DEL ever sent. Per address,
 * the time from just before the Pod's DELETE request to the watch event of the pool that no longer
 * has the record. Modes: {@code serial} (one Pod at a time, the next after the previous address is
 * free) and {@code burst} (all Pods deleted at once from 8 threads).
 */
public final class GcLatencyBench {
  private GcLatencyBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "both";
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-gcbench-");
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      System.out.printf(
          "%nGC latency on %s, %d pods per round, %d cores, %s%n",
          cp.serverUrl(), pods, Runtime.getRuntime().availableProcessors(), Runtime.version());
      GcFixture fx = new GcFixture(cp.client(), "gc-bench");
      ControllerRole role =
          new ControllerRole(
              cp.newClient(), ClusterConfig.DEFAULTS, GcSettings.DEFAULTS, () -> true);
      role.start();
      int round = 0;
      for (String m : mode.equals("both") ? List.of("serial", "burst") : List.of(mode)) {
        round(cp, fx, m, pods, ++round);
      }
      role.stop();
    }
    System.exit(0); // fabric8's dispatcher threads would keep the JVM alive
  }

  private static void round(LocalControlPlane cp, GcFixture fx, String mode, int n, int round)
      throws Exception {
    String pool = "gc-bench-" + round;
    fx.pool(
        pool,
        "10.70." + round + ".0/24",
        List.of("10.70." + round + ".1-10.70." + round + ".250"),
        null);
    List<Pod> pods = new ArrayList<>();
    Map<String, String> ipOf = new ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) {
      Pod p = fx.runningPod("b" + round + "-" + i, GcFixture.READY_NODE, null);
      pods.add(p);
      ipOf.put(p.getMetadata().getName(), fx.allocate(p, pool));
    }
    Map<String, Long> gone = new ConcurrentHashMap<>();
    Map<String, Long> deleted = new ConcurrentHashMap<>();
    Watch watch =
        cp.newClient()
            .resources(SpiderIPPool.class)
            .withName(pool)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, SpiderIPPool p) {
                    long now = System.nanoTime();
                    PoolRecords r =
                        PoolRecords.parse(
                            p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
                    for (String ip : ipOf.values()) {
                      if (!r.asMap().containsKey(ip)) {
                        gone.putIfAbsent(ip, now);
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    long start = System.nanoTime();
    if (mode.equals("serial")) {
      for (Pod p : pods) {
        String ip = ipOf.get(p.getMetadata().getName());
        deleted.put(ip, System.nanoTime());
        fx.deletePod(p.getMetadata().getName(), 0);
        await(ip + " freed")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> gone.containsKey(ip));
      }
    } else {
      ExecutorService pool8 = Executors.newFixedThreadPool(8);
      for (Pod p : pods) {
        pool8.submit(
            () -> {
              String ip = ipOf.get(p.getMetadata().getName());
              deleted.put(ip, System.nanoTime());
              fx.deletePod(p.getMetadata().getName(), 0);
            });
      }
      pool8.shutdown();
      await("all freed")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> gone.size() == n);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    watch.close();
    long[] lat = new long[n];
    int i = 0;
    for (Map.Entry<String, Long> d : deleted.entrySet()) {
      lat[i++] = gone.get(d.getKey()) - d.getValue();
    }
    Latencies l = new Latencies(lat);
    System.out.printf(
        "%-6s deletions=%d freed=%d  Pod DELETE -> record gone: median %.1f ms  p99 %.1f ms"
            + "  max %.1f ms  (round %.1f s)%n",
        mode, deleted.size(), gone.size(), l.ms(50), l.ms(99), l.ms(100), wall);
  }
}
