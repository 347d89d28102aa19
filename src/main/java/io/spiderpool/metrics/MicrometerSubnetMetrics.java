// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spiderpool.core.port.SubnetMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spiderpool's subnet metrics under its documented snake_case names (docs/subnet.md#metrics), as
 * gauges labelled {@code SpiderSubnet=<name>}: {@code spiderpool_total_subnet_counts}, {@code
 * spiderpool_debug_subnet_ippool_counts}, {@code spiderpool_debug_subnet_total_ip_counts}, {@code
 * spiderpool_debug_subnet_available_ip_counts}. Ours in addition, since Spiderpool has none for it:
 * {@code spiderpool_auto_pool_sync_duration_seconds} and {@code spiderpool_auto_pool_resize_counts}
 * (passes that wrote).
 *
 * <p>The subnet gauges exist only while this process holds the controller role (between {@link
 * #termStarted()} and {@link #termEnded()}), so a replica that does not hold it reports none.
 */
@Singleton
public class MicrometerSubnetMetrics implements SubnetMetrics {
  private static final String LABEL = "SpiderSubnet";
  private final MeterRegistry registry;
  private final Map<String, Values> subnets = new HashMap<>();
  private boolean holding;
  private Gauge total;
  private final Timer syncs;
  private final Counter resizes;

  /** One subnet's current values, read by its gauges. */
  private record Values(
      AtomicLong total, AtomicLong available, AtomicLong pools, List<Gauge> gauges) {}

  @Inject
  public MicrometerSubnetMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.syncs =
        Timer.builder("spiderpool_auto_pool_sync_duration")
            .description("auto-pool reconcile passes")
            .serviceLevelObjectives(
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5))
            .register(registry);
    this.resizes =
        Counter.builder("spiderpool_auto_pool_resize_counts")
            .description("auto-pool passes that created or resized a pool")
            .register(registry);
  }

  @Override
  public synchronized void termStarted() {
    if (holding) {
      return;
    }
    holding = true;
    total =
        Gauge.builder("spiderpool_total_subnet_counts", this, MicrometerSubnetMetrics::subnetCount)
            .description("SpiderSubnets known to the controller role")
            .register(registry);
  }

  @Override
  public synchronized void termEnded() {
    if (!holding) {
      return;
    }
    holding = false;
    registry.remove(total);
    total = null;
    subnets.values().forEach(v -> v.gauges().forEach(registry::remove));
    subnets.clear();
  }

  private synchronized int subnetCount() {
    return subnets.size();
  }

  @Override
  public synchronized void subnet(String name, long total, long carved, int pools) {
    if (!holding) {
      return; // a reconcile of a term that just ended
    }
    Values v = subnets.computeIfAbsent(name, this::register);
    v.total().set(total);
    v.available().set(Math.max(0, total - carved));
    v.pools().set(pools);
  }

  private Values register(String name) {
    AtomicLong total = new AtomicLong();
    AtomicLong available = new AtomicLong();
    AtomicLong pools = new AtomicLong();
    List<Gauge> gauges =
        List.of(
            Gauge.builder("spiderpool_debug_subnet_ippool_counts", pools, AtomicLong::get)
                .tag(LABEL, name)
                .description("IPPools the SpiderSubnet controls")
                .register(registry),
            Gauge.builder("spiderpool_debug_subnet_total_ip_counts", total, AtomicLong::get)
                .tag(LABEL, name)
                .description("addresses of the SpiderSubnet")
                .register(registry),
            Gauge.builder("spiderpool_debug_subnet_available_ip_counts", available, AtomicLong::get)
                .tag(LABEL, name)
                .description("addresses of the SpiderSubnet not carved out to pools")
                .register(registry));
    return new Values(total, available, pools, gauges);
  }

  @Override
  public synchronized void subnetGone(String name) {
    Values v = subnets.remove(name);
    if (v != null) {
      v.gauges().forEach(registry::remove);
    }
  }

  @Override
  public void autoPoolSynced(boolean wrote, long nanos) {
    syncs.record(Duration.ofNanos(nanos));
    if (wrote) {
      resizes.increment();
    }
  }
}
