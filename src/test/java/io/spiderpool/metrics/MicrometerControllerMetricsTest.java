// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.spiderpool.core.port.ControllerMetrics.PoolCounters;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Spiderpool's controller metric names (docs/metrics.md): GC counters, pool gauges read at scrape
 * time, and the pool gauges present only while the role is held.
 */
@SuppressWarnings("deprecation")
class MicrometerControllerMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final MicrometerControllerMetrics metrics = new MicrometerControllerMetrics(registry);

  private String scrape() {
    return new PrometheusScrape(registry).scrape();
  }

  /** Counters the test changes between scrapes, as the role's cache would. */
  static final class Counters implements PoolCounters {
    final AtomicLong total;
    final AtomicLong allocated;

    Counters(long total, long allocated) {
      this.total = new AtomicLong(total);
      this.allocated = new AtomicLong(allocated);
    }

    @Override
    public long total() {
      return total.get();
    }

    @Override
    public long allocated() {
      return allocated.get();
    }
  }

  @Test
  void gcCountersCountRecordsAndFailuresUnderSpiderpoolsNames() {
    metrics.gcReleasing(3);
    metrics.gcReleasing(1);
    metrics.gcReleaseFailed(1);
    metrics.gcConflict();
    assertThat(scrape())
        .contains("# TYPE spiderpool_ip_gc_counts_total counter")
        .contains("spiderpool_ip_gc_counts_total 4.0")
        .contains("spiderpool_ip_gc_failure_counts_total 1.0")
        .contains("spiderpool_ipam_release_update_ippool_conflict_counts_total 1.0");
  }

  @Test
  void poolGaugesReadTheCurrentCountersAndGoWithThePool() {
    metrics.termStarted();
    Counters a = new Counters(254, 4);
    metrics.pool("a", a);
    metrics.pool("b", new Counters(16, 16));
    metrics.pool("a", new Counters(1, 1)); // already known: the first counters stay
    assertThat(scrape())
        .contains("spiderpool_total_ippool_counts 2.0")
        .contains("spiderpool_debug_ippool_total_ip_counts{SpiderIPPool=\"a\",} 254.0")
        .contains("spiderpool_debug_ippool_available_ip_counts{SpiderIPPool=\"a\",} 250.0")
        .contains("spiderpool_debug_ippool_available_ip_counts{SpiderIPPool=\"b\",} 0.0");
    a.allocated.set(10); // an agent allocated: the next scrape shows it
    assertThat(scrape())
        .contains("spiderpool_debug_ippool_available_ip_counts{SpiderIPPool=\"a\",} 244.0");
    a.total.set(-1); // not known (yet)
    assertThat(scrape())
        .contains("spiderpool_debug_ippool_total_ip_counts{SpiderIPPool=\"a\",} NaN")
        .contains("spiderpool_debug_ippool_available_ip_counts{SpiderIPPool=\"a\",} NaN");
    metrics.poolGone("a");
    assertThat(scrape())
        .contains("spiderpool_total_ippool_counts 1.0")
        .doesNotContain("SpiderIPPool=\"a\"");
  }

  @Test
  void onlyTheRoleHolderReportsPoolsAndSaysSo() {
    metrics.gcReleasing(2);
    metrics.pool("early", new Counters(10, 0)); // before the term: ignored
    assertThat(scrape())
        .contains("spiderpool_controller_role_holder 0.0")
        .doesNotContain("spiderpool_total_ippool_counts")
        .doesNotContain("early");
    metrics.termStarted();
    metrics.pool("a", new Counters(10, 1));
    assertThat(scrape())
        .contains("spiderpool_controller_role_holder 1.0")
        .contains("spiderpool_total_ippool_counts 1.0");
    metrics.termEnded();
    metrics.pool("late", new Counters(10, 0)); // a reconcile of the ended term
    assertThat(scrape())
        .contains("spiderpool_controller_role_holder 0.0")
        .doesNotContain("spiderpool_total_ippool_counts")
        .doesNotContain("SpiderIPPool=")
        .contains("spiderpool_ip_gc_counts_total 2.0"); // counters never go back
    metrics.termStarted();
    assertThat(scrape()).contains("spiderpool_total_ippool_counts 0.0");
  }
}
