// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.List;

/** Spiderpool's {@code WorkloadEndpointStatus}: what a Pod's SpiderEndpoint records. */
public record EndpointView(
    String podNamespace, String podName, String podUid, String node, List<Interface> interfaces) {

  /** One NIC's record ({@code InterfaceDetail}); absent values are null, vlan 0 when unset. */
  public record Interface(
      String name,
      String ipv4,
      String ipv6,
      String ipv4Pool,
      String ipv6Pool,
      String ipv4Gateway,
      String ipv6Gateway,
      String mac,
      int vlan,
      List<AddResult.RouteConfig> routes) {}
}
