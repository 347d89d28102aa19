// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.List;

/**
 * Spiderpool's {@code IpamAddResponse}: the addresses and routes of <em>every</em> NIC of the Pod
 * known so far; the CNI layer keeps the entries of its own interface.
 */
public record AddResult(List<IpConfig> ips, List<RouteConfig> routes) {

  public AddResult {
    ips = List.copyOf(ips);
    routes = List.copyOf(routes);
  }

  /**
   * One address: {@code version} 4 or 6, {@code address} as {@code ip/prefix} (prefix of the pool's
   * subnet), the NIC, the pool, the gateway (may be null), vlan (0), and Spiderpool's detection
   * flags copied from the ConfigMap.
   */
  public record IpConfig(
      int version,
      String address,
      String nic,
      String ipPool,
      String gateway,
      int vlan,
      boolean enableGatewayDetection,
      boolean enableIpConflictDetection) {}

  /** A route on a NIC: destination CIDR and gateway. */
  public record RouteConfig(String ifName, String dst, String gw) {}
}
