// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.error.PoolExhaustedException;

/**
 * A SpiderSubnet has too few free addresses for an auto-pool's size. Nothing was carved: a pool is
 * never created or grown to less than its size. Retrying helps once the subnet has more addresses
 * (or other pools gave some back).
 */
public class SubnetExhaustedException extends PoolExhaustedException {
  private static final long serialVersionUID = 1L;
  private final String subnet;
  private final String pool;
  private final transient AutoPoolPlan.Shortage shortage;

  public SubnetExhaustedException(String subnet, String pool, AutoPoolPlan.Shortage shortage) {
    super(
        "insufficient free addresses in SpiderSubnet "
            + subnet
            + " for IPPool "
            + pool
            + ": it needs "
            + shortage.desired()
            + " and can have only "
            + shortage.reachable()
            + " ("
            + shortage.free()
            + " free in the subnet), so it lacks "
            + shortage.lacking()
            + "; add addresses to the SpiderSubnet's spec.ips, or lower ipam.spidernet.io/ippool-ip-number or the"
            + " replicas");
    this.subnet = subnet;
    this.pool = pool;
    this.shortage = shortage;
  }

  public String subnet() {
    return subnet;
  }

  public String pool() {
    return pool;
  }

  public AutoPoolPlan.Shortage shortage() {
    return shortage;
  }
}
