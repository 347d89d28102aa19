// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spiderpool.core.port.ControllerMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spiderpool's controller metrics under its documented snake_case names (docs/metrics.md): the IP
 * GC counters {@code spiderpool_ip_gc_counts} and {@code spiderpool_ip_gc_failure_counts}, the GC's
 * {@code spiderpool_ipam_release_update_ippool_conflict_counts} (the same counter as the agent's in
 * a daemon), {@code spiderpool_total_ippool_counts}, and per pool the gauges {@code
 * spiderpool_debug_ippool_total_ip_counts} and {@code spiderpool_debug_ippool_available_ip_counts}
 * labelled {@code SpiderIPPool=<name>} (real gauges, read from the role's cache at each scrape;
 * Spiderpool increments counters there).
 *
 * <p>The pool gauges exist only while this process holds the role: a term's start registers the
 * total, its end removes every pool gauge, so of several replicas only the holder reports pools.
 * The counters count what this process did while it held the role and stay (counters never go
 * back); {@code spiderpool_controller_role_holder} (ours) says 1 while the role is held.
 */
@Singleton
public class MicrometerControllerMetrics implements ControllerMetrics {
  private static final String LABEL = "SpiderIPPool";

  private final MeterRegistry registry;
  private final Counter gcReleases;
  private final Counter gcFailures;
  private final Counter conflicts;
  private final Map<String, List<Meter>> pools = new HashMap<>();
  private final AtomicLong holding = new AtomicLong();
  private Gauge total;

  @Inject
  public MicrometerControllerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.gcReleases =
        Counter.builder("spiderpool_ip_gc_counts")
            .description("leaked address records the IP GC released (attempts)")
            .register(registry);
    this.gcFailures =
        Counter.builder("spiderpool_ip_gc_failure_counts")
            .description("leaked address records whose release by the IP GC failed")
            .register(registry);
    this.conflicts =
        Counter.builder("spiderpool_ipam_release_update_ippool_conflict_counts")
            .description("IPPool updates refused as stale during IPAM release")
            .register(registry);
    Gauge.builder("spiderpool_controller_role_holder", holding, AtomicLong::get)
        .description("1 while this process holds the controller role, else 0")
        .register(registry);
  }

  @Override
  public synchronized void termStarted() {
    if (holding.get() == 1) {
      return;
    }
    holding.set(1);
    total =
        Gauge.builder(
                "spiderpool_total_ippool_counts", this, MicrometerControllerMetrics::poolCount)
            .description("SpiderIPPools known to the controller role")
            .register(registry);
  }

  @Override
  public synchronized void termEnded() {
    if (holding.get() == 0) {
      return;
    }
    holding.set(0);
    registry.remove(total);
    total = null;
    pools.values().forEach(g -> g.forEach(registry::remove));
    pools.clear();
  }

  private synchronized int poolCount() {
    return pools.size();
  }

  @Override
  public void gcReleasing(int records) {
    gcReleases.increment(records);
  }

  @Override
  public void gcReleaseFailed(int records) {
    gcFailures.increment(records);
  }

  @Override
  public void gcConflict() {
    conflicts.increment();
  }

  @Override
  public synchronized void pool(String name, PoolCounters counters) {
    if (holding.get() == 0) {
      return; // a reconcile of a term that just ended
    }
    pools.computeIfAbsent(name, n -> register(n, counters));
  }

  private List<Meter> register(String name, PoolCounters counters) {
    return List.of(
        Gauge.builder(
                "spiderpool_debug_ippool_total_ip_counts",
                counters,
                c -> c.total() < 0 ? Double.NaN : c.total())
            .tag(LABEL, name)
            .description("addresses of the SpiderIPPool")
            .register(registry),
        Gauge.builder(
                "spiderpool_debug_ippool_available_ip_counts",
                counters,
                MicrometerControllerMetrics::available)
            .tag(LABEL, name)
            .description("addresses of the SpiderIPPool not allocated")
            .register(registry));
  }

  private static double available(PoolCounters c) {
    long total = c.total();
    long allocated = c.allocated();
    return total < 0 || allocated < 0 ? Double.NaN : Math.max(0, total - allocated);
  }

  @Override
  public synchronized void poolGone(String name) {
    List<Meter> gauges = pools.remove(name);
    if (gauges != null) {
      gauges.forEach(registry::remove);
    }
  }
}
