// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.annotation.IpNumber;

/**
 * How many addresses an application's auto-pool holds (docs/subnet.md#auto-pools): {@code replicas
 * + N} for a flexible {@code ippool-ip-number} ("+N", or absent: the cluster default), {@code N}
 * for a fixed one. The replica count is read per kind as Spiderpool reads it.
 */
public final class AutoPoolSize {
  private AutoPoolSize() {}

  /**
   * Deployment, ReplicaSet, StatefulSet: {@code spec.replicas}; unset counts 0, as in Spiderpool.
   */
  public static int ofReplicas(Integer replicas) {
    return replicas == null ? 0 : Math.max(0, replicas);
  }

  /**
   * DaemonSet: {@code status.desiredNumberScheduled}, the number of nodes that should run one of
   * its Pods (0 until the DaemonSet controller has counted them).
   */
  public static int ofDaemonSet(Integer desiredNumberScheduled) {
    return desiredNumberScheduled == null ? 0 : Math.max(0, desiredNumberScheduled);
  }

  /**
   * Job, and a CronJob's job template: {@code completions} when set, else {@code parallelism} when
   * set, else 1; a 0 counts as 1 (the Job runs one Pod at least).
   */
  public static int ofJob(Integer parallelism, Integer completions) {
    Integer n = completions != null ? completions : parallelism;
    return n == null || n <= 0 ? 1 : n;
  }

  /** The pool's size for {@code replicas}; saturates instead of overflowing. */
  public static int desired(IpNumber number, int replicas) {
    if (!number.flexible()) {
      return number.count();
    }
    long n = (long) replicas + number.count();
    return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
  }
}
