// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.spiderpool.core.port.IpamMetrics.Failure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The exported names are Spiderpool's documented snake_case ones
 * (docs/spiderpool-compat.md#metric-names).
 */
@SuppressWarnings("deprecation")
class MicrometerIpamMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final MicrometerIpamMetrics metrics = new MicrometerIpamMetrics(registry);

  @Test
  void allocationsCountRequestsFailuresReasonsAndDurations() {
    metrics.allocated(Duration.ofMillis(20));
    metrics.allocationFailed(Failure.IP_USED_OUT, Duration.ofMillis(40));
    metrics.allocationFailed(Failure.NO_AVAILABLE_POOL, Duration.ofMillis(30));
    metrics.poolUpdateConflict(true);
    String text = new PrometheusScrape(registry).scrape();
    assertThat(text)
        .contains("spiderpool_ipam_allocation_counts_total 3.0")
        .contains("spiderpool_ipam_allocation_failure_counts_total 2.0")
        .contains("spiderpool_ipam_allocation_err_ip_used_out_counts_total 1.0")
        .contains("spiderpool_ipam_allocation_err_no_available_pool_counts_total 1.0")
        .contains("spiderpool_ipam_allocation_err_internal_counts_total 0.0")
        .contains("spiderpool_ipam_allocation_err_retries_exhausted_counts_total 0.0")
        .contains("spiderpool_ipam_allocation_update_ippool_conflict_counts_total 1.0")
        .contains("spiderpool_ipam_allocation_duration_seconds_count 3.0")
        .contains("spiderpool_ipam_allocation_duration_seconds_bucket{le=\"0.025\",} 1.0")
        .contains("spiderpool_ipam_allocation_max_duration_seconds 0.04")
        .contains("spiderpool_ipam_allocation_min_duration_seconds 0.02")
        .contains("spiderpool_ipam_allocation_latest_duration_seconds 0.03")
        .contains("spiderpool_ipam_allocation_average_duration_seconds 0.03");
  }

  @Test
  void releasesHaveTheirOwnFamilyWithoutAllocationOnlyReasons() {
    metrics.released(Duration.ofMillis(5));
    metrics.releaseFailed(Failure.IP_USED_OUT, Duration.ofMillis(5));
    metrics.poolUpdateConflict(false);
    String text = new PrometheusScrape(registry).scrape();
    assertThat(text)
        .contains("spiderpool_ipam_release_counts_total 2.0")
        .contains("spiderpool_ipam_release_failure_counts_total 1.0")
        .contains("spiderpool_ipam_release_err_internal_counts_total 1.0")
        .contains("spiderpool_ipam_release_update_ippool_conflict_counts_total 1.0")
        .contains("spiderpool_ipam_release_duration_seconds_sum")
        .doesNotContain("spiderpool_ipam_release_err_ip_used_out");
  }
}
