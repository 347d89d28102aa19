// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Spiderpool's subnet metric names (docs/subnet.md#metrics) as real gauges, and the agent's wait
 * counter.
 */
@SuppressWarnings("deprecation")
class MicrometerSubnetMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final MicrometerSubnetMetrics metrics = new MicrometerSubnetMetrics(registry);

  private String scrape() {
    return new PrometheusScrape(registry).scrape();
  }

  @Test
  void perSubnetGaugesFollowTheLastReconcileAndGoWithTheSubnet() {
    metrics.termStarted();
    metrics.subnet("s4", 91, 3, 1);
    metrics.subnet("s6", 200, 50, 4);
    metrics.subnet("s4", 91, 10, 2); // a gauge, not a counter: the new value replaces the old
    assertThat(scrape())
        .contains("spiderpool_total_subnet_counts 2.0")
        .contains("spiderpool_debug_subnet_total_ip_counts{SpiderSubnet=\"s4\",} 91.0")
        .contains("spiderpool_debug_subnet_available_ip_counts{SpiderSubnet=\"s4\",} 81.0")
        .contains("spiderpool_debug_subnet_ippool_counts{SpiderSubnet=\"s4\",} 2.0")
        .contains("spiderpool_debug_subnet_available_ip_counts{SpiderSubnet=\"s6\",} 150.0");
    metrics.subnetGone("s4");
    assertThat(scrape())
        .contains("spiderpool_total_subnet_counts 1.0")
        .doesNotContain("SpiderSubnet=\"s4\"");
  }

  @Test
  void onlyTheRoleHolderReportsSubnets() {
    metrics.subnet("early", 10, 0, 0); // before the term: not reported
    assertThat(scrape()).doesNotContain("spiderpool_total_subnet_counts").doesNotContain("early");
    metrics.termStarted();
    metrics.subnet("s4", 91, 3, 1);
    assertThat(scrape())
        .contains("spiderpool_total_subnet_counts 1.0")
        .contains("SpiderSubnet=\"s4\"");
    metrics.termEnded();
    metrics.subnet("late", 10, 0, 0); // a reconcile of the ended term
    assertThat(scrape())
        .doesNotContain("spiderpool_total_subnet_counts")
        .doesNotContain("SpiderSubnet=");
    metrics.termStarted(); // a new term starts from nothing
    assertThat(scrape()).contains("spiderpool_total_subnet_counts 0.0");
  }

  @Test
  void passesAreTimedAndThoseThatWroteCounted() {
    metrics.autoPoolSynced(true, 20_000_000);
    metrics.autoPoolSynced(false, 1_000_000);
    assertThat(scrape())
        .contains("spiderpool_auto_pool_sync_duration_seconds_count 2.0")
        .contains("spiderpool_auto_pool_resize_counts_total 1.0");
  }

  @Test
  void theAgentCountsAutoPoolWaitsUnderSpiderpoolsName() {
    MicrometerIpamMetrics agent = new MicrometerIpamMetrics(registry);
    agent.autoPoolWaited();
    agent.autoPoolWaited();
    assertThat(scrape())
        .contains("spiderpool_debug_auto_pool_waited_for_available_counts_total 2.0");
  }
}
