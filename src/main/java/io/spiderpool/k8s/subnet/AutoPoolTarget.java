// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.TopController;

/**
 * One auto-pool an application should have: of one interface and family, from one SpiderSubnet, of
 * {@code desired} addresses.
 *
 * @param number the size rule, recorded in the pool's {@code ippool-ip-number} annotation
 * @param reclaim whether the pool goes with the application ({@code ippool-reclaim} label)
 */
public record AutoPoolTarget(
    String subnet,
    TopController app,
    String nic,
    IpFamily family,
    int desired,
    IpNumber number,
    boolean reclaim) {

  @Override
  public String toString() {
    return family
        + " auto-pool of "
        + app.kind()
        + " "
        + app.namespace()
        + "/"
        + app.name()
        + " on "
        + nic
        + " from SpiderSubnet "
        + subnet;
  }
}
