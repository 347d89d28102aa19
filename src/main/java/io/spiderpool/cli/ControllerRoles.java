// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.election.LeaseElector;
import io.spiderpool.core.config.ClusterConfig;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/** Builds the controller role a process runs while it holds the Lease. */
final class ControllerRoles {
  private static final Logger LOG = Logger.getLogger(ControllerRoles.class.getName());

  private ControllerRoles() {}

  static LeaseElector.Role create(KubernetesClient client, ClusterConfig config, BooleanSupplier fence) {
    // TEMPORARY until the GC/status reconcilers land: logs the term boundaries only
    return new LeaseElector.Role() {
      @Override
      public void start() {
        LOG.info("controller role: term started");
      }

      @Override
      public void stop() {
        LOG.info("controller role: term stopped");
      }
    };
  }
}
