// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.controller.election.LeaseElector;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import java.util.function.BooleanSupplier;

/** Builds the controller role a process runs while it holds the Lease. */
final class ControllerRoles {
  private ControllerRoles() {}

  static LeaseElector.Role create(KubernetesClient client, ClusterConfig config, GcSettings gc,
      BooleanSupplier fence) {
    ControllerRole role = new ControllerRole(client, config, gc, fence);
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
