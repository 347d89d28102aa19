// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Spiderpool's four duration gauges of one operation ({@code <prefix>_average_duration_seconds},
 * {@code _max_}, {@code _min_}, {@code _latest_}), kept since the process started, because its
 * Grafana dashboards plot them rather than histogram quantiles. All zero before the first sample.
 */
final class DurationStats {
  private long count;
  private double sum;
  private double min;
  private double max;
  private double latest;

  DurationStats(MeterRegistry registry, String prefix, String what) {
    gauge(registry, prefix + "_average_duration_seconds", "mean " + what, DurationStats::average);
    gauge(registry, prefix + "_max_duration_seconds", "longest " + what, s -> s.max);
    gauge(registry, prefix + "_min_duration_seconds", "shortest " + what, s -> s.min);
    gauge(registry, prefix + "_latest_duration_seconds", "last " + what, s -> s.latest);
  }

  private void gauge(
      MeterRegistry registry, String name, String help, ToDoubleFunction<DurationStats> value) {
    Gauge.builder(
            name,
            this,
            s -> {
              synchronized (s) {
                return value.applyAsDouble(s);
              }
            })
        .description(help)
        .register(registry);
  }

  synchronized void record(Duration took) {
    double s = took.toNanos() / 1e9;
    min = count == 0 ? s : Math.min(min, s);
    max = count == 0 ? s : Math.max(max, s);
    count++;
    sum += s;
    latest = s;
  }

  private double average() {
    return count == 0 ? 0 : sum / count;
  }
}
