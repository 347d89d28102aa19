// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.k8s.subnet.AutoPoolSync;

/**
 * What the controller role's SpiderSubnet part reports to: its metrics, and an observer of the
 * resize writes (the test suite stops a role between two of them).
 */
public record SubnetOptions(SubnetMetrics metrics, AutoPoolSync.Observer observer) {
  public static final SubnetOptions DEFAULTS =
      new SubnetOptions(SubnetMetrics.NOOP, AutoPoolSync.Observer.NONE);

  /** With {@code metrics} and no observer. */
  public static SubnetOptions reportingTo(SubnetMetrics metrics) {
    return new SubnetOptions(metrics, AutoPoolSync.Observer.NONE);
  }
}
