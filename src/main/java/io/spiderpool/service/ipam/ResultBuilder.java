// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an endpoint record into Spiderpool's {@code IpamAddResponse}: every NIC's addresses, their
 * pools' routes, and a default route via each gateway unless the NIC is clean-gateway.
 */
final class ResultBuilder {
  private ResultBuilder() {}

  static AddResult of(EndpointRecord ep, boolean gatewayDetection, boolean conflictDetection) {
    List<AddResult.IpConfig> ips = new ArrayList<>();
    List<AddResult.RouteConfig> routes = new ArrayList<>();
    for (EndpointRecord.Nic n : ep.nics()) {
      if (n.ipv4() != null) {
        ips.add(
            new AddResult.IpConfig(
                4,
                n.ipv4(),
                n.nic(),
                n.ipv4Pool(),
                n.ipv4Gateway(),
                0,
                gatewayDetection,
                conflictDetection));
      }
      if (n.ipv6() != null) {
        ips.add(
            new AddResult.IpConfig(
                6,
                n.ipv6(),
                n.nic(),
                n.ipv6Pool(),
                n.ipv6Gateway(),
                0,
                gatewayDetection,
                conflictDetection));
      }
      routes.addAll(n.routes());
      if (!n.cleanGateway()) {
        if (n.ipv4Gateway() != null) {
          routes.add(new AddResult.RouteConfig(n.nic(), "0.0.0.0/0", n.ipv4Gateway()));
        }
        if (n.ipv6Gateway() != null) {
          routes.add(new AddResult.RouteConfig(n.nic(), "::/0", n.ipv6Gateway()));
        }
      }
    }
    return new AddResult(ips, routes);
  }
}
