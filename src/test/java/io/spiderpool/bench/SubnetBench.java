// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.controller.subnet.SubnetFixture;
import io.spiderpool.controller.subnet.SubnetOptions;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.AutoPoolWait;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.service.ipam.EngineSettings;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SpiderSubnet latencies on a local control plane, with the controller role and a node's engine in
 * this JVM (each with its own API client, as two processes would have):
 *
 * <ul>
 *   <li>{@code resize}: one Deployment scaled {@code rounds} times to random sizes (1–60, never the
 *       same twice in a row); per change, the time from just before the replicas update to the
 *       watch event of the auto-pool holding the new number of addresses;
 *   <li>{@code first-add}: {@code apps} new Deployments, each with its ReplicaSet and one Pod made
 *       as kube-controller-manager would; per application, the ADD of its first Pod, started right
 *       after the Pod exists, until it returns an address — which includes the controller making
 *       the pool (carve, create) and the node's cache seeing it.
 * </ul>
 */
public final class SubnetBench {
  /**
   * Durations of the controller's passes that wrote, to tell the pass from the event delivery
   * around it.
   */
  private static final List<Long> WRITING_PASSES = Collections.synchronizedList(new ArrayList<>());

  private static final SubnetMetrics PASSES =
      new SubnetMetrics() {
        @Override
        public void autoPoolSynced(boolean wrote, long nanos) {
          if (wrote) {
            WRITING_PASSES.add(nanos);
          }
        }
      };

  private SubnetBench() {}

  private static String passes() {
    long[] all;
    synchronized (WRITING_PASSES) {
      all = WRITING_PASSES.stream().mapToLong(Long::longValue).toArray();
      WRITING_PASSES.clear();
    }
    Latencies l = new Latencies(all);
    return String.format(
        "controller passes that wrote: %d, median %.1f ms, p99 %.1f ms",
        all.length, l.ms(50), l.ms(99));
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int apps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path state = Files.createTempDirectory(Path.of("/tmp"), "sp-subnetbench-");
    try (LocalControlPlane cp = LocalControlPlane.start(state.resolve("cp"))) {
      System.out.printf(
          "%nSpiderSubnet on %s, %d cores, %s%n",
          cp.serverUrl(), Runtime.getRuntime().availableProcessors(), Runtime.version());
      SubnetFixture fx = new SubnetFixture(cp.client(), "subnet-bench");
      ControllerRole role =
          new ControllerRole(
              cp.newClient(),
              ClusterConfig.DEFAULTS,
              GcSettings.DEFAULTS,
              () -> true,
              Clock.systemUTC(),
              SubnetOptions.reportingTo(PASSES));
      role.start();
      try (KubernetesIpam node =
          new KubernetesIpam(
              cp.newClient(),
              new EngineSettings(
                  ClusterConfig.DEFAULTS, "kube-system", null, 5000, true, "subnet-node"),
              IpamMetrics.NOOP,
              AutoPoolWait.DEFAULTS)) {
        resize(cp, fx, rounds);
        firstAdd(fx, node, apps);
      } finally {
        role.stop();
      }
    }
    System.exit(0); // fabric8's dispatcher threads would keep the JVM alive
  }

  private static long size(SpiderIPPool p) {
    return RangeList.parse("spec.ips", p.getSpec().getIps(), Cidr.parse(p.getSpec().getSubnet()))
        .sizeCapped();
  }

  private static void resize(LocalControlPlane cp, SubnetFixture fx, int rounds) throws Exception {
    fx.subnet("bench-resize", "10.90.0.0/24", List.of("10.90.0.10-10.90.0.250"), null, null);
    fx.deployment(
        "resized",
        1,
        Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"bench-resize\"]}",
            "ipam.spidernet.io/ippool-ip-number",
            "+0"));
    Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    Watch watch =
        cp.newClient()
            .resources(SpiderIPPool.class)
            .withLabel(AutoPoolLabels.OWNER_NAME, "resized")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, SpiderIPPool p) {
                    seenAt.putIfAbsent(size(p), System.nanoTime());
                    synchronized (seenAt) {
                      seenAt.notifyAll();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    awaitSize(seenAt, 1);
    Random rnd = new Random(42);
    long[] lat = new long[rounds];
    int current = 1;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      int next;
      do {
        next = 1 + rnd.nextInt(60);
      } while (next == current);
      seenAt.clear();
      long t0 = System.nanoTime();
      fx.scaleDeployment("resized", next);
      awaitSize(seenAt, next);
      lat[i] = seenAt.get((long) next) - t0;
      current = next;
    }
    double wall = (System.nanoTime() - start) / 1e9;
    watch.close();
    Latencies l = new Latencies(lat);
    System.out.printf(
        "resize     changes=%d  replicas update -> pool resized (watch): median %.1f ms  p99 %.1f ms"
            + "  max %.1f ms  (%.1f s)%n           %s%n",
        rounds, l.ms(50), l.ms(99), l.ms(100), wall, passes());
  }

  private static void awaitSize(Map<Long, Long> seenAt, long size) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    synchronized (seenAt) {
      while (!seenAt.containsKey(size)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the pool never reached " + size + " addresses");
        }
        seenAt.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private static void firstAdd(SubnetFixture fx, KubernetesIpam node, int apps) {
    fx.subnet("bench-first", "10.91.0.0/16", List.of("10.91.0.10-10.91.255.250"), null, null);
    Map<String, String> a = Map.of("ipam.spidernet.io/subnet", "{\"ipv4\":[\"bench-first\"]}");
    long[] lat = new long[apps];
    long start = System.nanoTime();
    for (int i = 0; i < apps; i++) {
      String name = "app" + i;
      Deployment d = fx.deployment(name, 2, a);
      ReplicaSet rs = fx.replicaSet(name + "-5c9d", 2, a, SubnetFixture.controllerRef(d));
      Pod pod = fx.pod(name + "-5c9d-0", SubnetFixture.controllerRef(rs), a);
      long t0 = System.nanoTime();
      fx.add(node.engine(), pod, "eth0");
      lat[i] = System.nanoTime() - t0;
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Latencies l = new Latencies(lat);
    System.out.printf(
        "first-add  apps=%d  ADD of a new application's first Pod (pool made meanwhile): median %.1f ms"
            + "  p99 %.1f ms  max %.1f ms  (%.1f s)%n           %s%n",
        apps, l.ms(50), l.ms(99), l.ms(100), wall, passes());
  }
}
