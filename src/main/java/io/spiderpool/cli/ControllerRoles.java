// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.controller.election.LeaseElector;
import io.spiderpool.controller.subnet.SubnetOptions;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.core.port.SubnetMetrics;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/** Builds the controller role a process runs while it holds the Lease. */
final class ControllerRoles {
  private ControllerRoles() {}

  static LeaseElector.Role create(
      KubernetesClient client, ClusterConfig config, GcSettings gc, BooleanSupplier fence) {
    return create(client, config, gc, fence, SubnetMetrics.NOOP, ControllerMetrics.NOOP);
  }

  /** With the metrics the role reports (docs/metrics.md). */
  static LeaseElector.Role create(
      KubernetesClient client,
      ClusterConfig config,
      GcSettings gc,
      BooleanSupplier fence,
      SubnetMetrics metrics,
      ControllerMetrics controllerMetrics) {
    ControllerRole role =
        new ControllerRole(
            client,
            config,
            gc,
            fence,
            Clock.systemUTC(),
            SubnetOptions.reportingTo(metrics),
            controllerMetrics);
    return new LeaseElector.Role() {
      @Override
      public void start() {
        role.start();
      }

      @Override
      public void stop() {
        role.stop();
      }
    };
  }
}
