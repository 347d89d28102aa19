// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spiderpool.core.port.IpamMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The agent metrics under the snake_case names Spiderpool documents
 * (docs/spiderpool-compat.md#metric-names: the names its dashboards and alerts use, not the
 * camelCase strings its newer code emits). Counters are exposed with Prometheus' {@code _total}
 * suffix; durations as a histogram ({@code _duration_seconds_bucket/_sum/_count}) plus the
 * average/max/min/latest gauges. Limiter-wait metrics are not exported: this daemon has no request
 * limiter.
 */
@Singleton
public class MicrometerIpamMetrics implements IpamMetrics {
  /** Histogram buckets in seconds: a CNI ADD takes milliseconds when healthy, up to its timeout. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60), Duration.ofSeconds(100)
  };

  private final Operation allocation;
  private final Operation release;
  private final Counter autoPoolWaits;

  @Inject
  public MicrometerIpamMetrics(MeterRegistry registry) {
    this.allocation = new Operation(registry, "spiderpool_ipam_allocation", "IPAM allocation");
    this.release = new Operation(registry, "spiderpool_ipam_release", "IPAM release");
    this.autoPoolWaits =
        Counter.builder("spiderpool_debug_auto_pool_waited_for_available_counts")
            .description("ADDs that waited for their SpiderSubnet auto-pool to exist or have room")
            .register(registry);
  }

  @Override
  public void autoPoolWaited() {
    autoPoolWaits.increment();
  }

  @Override
  public void allocated(Duration took) {
    allocation.succeeded(took);
  }

  @Override
  public void allocationFailed(Failure reason, Duration took) {
    allocation.failed(reason, took);
  }

  @Override
  public void released(Duration took) {
    release.succeeded(took);
  }

  @Override
  public void releaseFailed(Failure reason, Duration took) {
    release.failed(reason, took);
  }

  @Override
  public void poolUpdateConflict(boolean forAllocation) {
    (forAllocation ? allocation : release).conflicts.increment();
  }

  /** The meters of ADD or DEL. */
  private static final class Operation {
    final Counter requests;
    final Counter failures;
    final Counter conflicts;
    final Map<Failure, Counter> byReason = new EnumMap<>(Failure.class);
    final Timer duration;
    final DurationStats stats;

    Operation(MeterRegistry registry, String prefix, String what) {
      requests = counter(registry, prefix + "_counts", what + " requests received");
      failures = counter(registry, prefix + "_failure_counts", "failed " + what + " requests");
      conflicts =
          counter(
              registry,
              prefix + "_update_ippool_conflict_counts",
              "IPPool updates refused as stale during " + what);
      for (Failure f : Failure.values()) {
        // Spiderpool has no "no available pool" or "IPs used out" counter for releases
        if (prefix.endsWith("release")
            && (f == Failure.NO_AVAILABLE_POOL || f == Failure.IP_USED_OUT)) {
          continue;
        }
        byReason.put(
            f,
            counter(
                registry,
                prefix + "_err_" + f.name().toLowerCase(Locale.ROOT) + "_counts",
                what + " failures: " + f.name().toLowerCase(Locale.ROOT)));
      }
      duration =
          Timer.builder(prefix + "_duration")
              .description(what + " duration")
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      stats = new DurationStats(registry, prefix, what + " duration");
    }

    private static Counter counter(MeterRegistry registry, String name, String help) {
      return Counter.builder(name).description(help).register(registry);
    }

    void succeeded(Duration took) {
      requests.increment();
      duration.record(took);
      stats.record(took);
    }

    void failed(Failure reason, Duration took) {
      succeeded(took);
      failures.increment();
      Counter c = byReason.get(reason);
      (c != null ? c : byReason.get(Failure.INTERNAL)).increment();
    }
  }
}
