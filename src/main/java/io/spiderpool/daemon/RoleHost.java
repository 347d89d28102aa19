// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.election.ElectionSettings;
import io.spiderpool.controller.election.KubernetesLeaseApi;
import io.spiderpool.controller.election.LeaseElector;
import io.spiderpool.controller.election.NodeEligibility;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Hosts the controller role in a process: campaigns with {@link LeaseElector} and runs the role it
 * builds while this process holds the Lease. The role is built with the elector's fence, which it
 * must check before each write.
 */
public final class RoleHost implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RoleHost.class.getName());

  private final LeaseElector elector;

  private RoleHost(LeaseElector elector) {
    this.elector = elector;
  }

  /**
   * Starts campaigning, or returns null when {@code settings} say this process never campaigns.
   *
   * @param nodeName the daemon's node for the node-selector check; null campaigns regardless (the
   *     stand-alone {@code controller} command)
   * @param role builds the role from the fence
   */
  public static RoleHost start(
      KubernetesClient client,
      ElectionSettings settings,
      String nodeName,
      Function<BooleanSupplier, LeaseElector.Role> role) {
    if (!settings.enabled()) {
      LOG.info(
          "this process does not campaign for the controller role ("
              + ElectionSettings.ENV_ENABLED
              + "=false)");
      return null;
    }
    LeaseElector.Eligibility eligibility =
        nodeName == null
            ? LeaseElector.Eligibility.ALWAYS
            : new NodeEligibility(client, nodeName, settings.nodeSelector());
    LeaseElector[] self = new LeaseElector[1];
    BooleanSupplier fence = () -> self[0] != null && self[0].fence();
    LeaseElector elector =
        new LeaseElector(
            new KubernetesLeaseApi(client, settings.leaseNamespace(), settings.leaseName()),
            settings,
            role.apply(fence),
            eligibility);
    self[0] = elector;
    return new RoleHost(elector.start());
  }

  /** Whether this process holds the role now. */
  public boolean leading() {
    return elector.leading();
  }

  /** The holder named by the Lease when last read. */
  public String knownLeader() {
    return elector.knownLeader();
  }

  /** Stops the role if held, releases the Lease, stops campaigning. */
  @Override
  public void close() {
    elector.close();
  }
}
