// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import java.util.Arrays;

/** Percentiles of a set of durations in nanoseconds (nearest-rank). */
final class Latencies {
  private final long[] sorted;

  Latencies(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The {@code p}-th percentile in milliseconds, 0 when empty. */
  double ms(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
