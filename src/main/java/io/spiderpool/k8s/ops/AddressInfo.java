// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

import java.util.List;

/**
 * Everything known about one address (docs/cli.md#spiderpool-ip-show): one entry per pool whose
 * spec.ips holds it or that records it, and the SpiderReservedIPs that reserve it.
 */
public record AddressInfo(String ip, List<InPool> pools, List<String> reservedBy) {

  public AddressInfo {
    pools = List.copyOf(pools);
    reservedBy = List.copyOf(reservedBy);
  }

  /**
   * The address in one pool. {@code state} is {@code allocated}, {@code free}, {@code excluded},
   * {@code reserved}, or {@code outside-ranges} (recorded although not in spec.ips). The owner
   * fields are empty unless a record names one; {@code podExists} is {@code yes}, {@code no} or
   * {@code other-uid} (a re-created Pod of that name).
   */
  public record InPool(
      String pool,
      String state,
      String pod,
      String podUid,
      String podExists,
      String node,
      String interfaceName,
      String endpoint,
      String stickiness) {}
}
