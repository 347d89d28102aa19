// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.wire.CniResult;
import io.spiderpool.wire.CniSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The ADD result for {@code CNI_IFNAME}: the engine answers with every NIC of the Pod, the CNI
 * result reports only the entries of the interface asked about, in the shape of the requested spec
 * version ({@link CniResult}).
 */
final class CniResultFormatter {
  private CniResultFormatter() {}

  /** The result text, or code 999 when the engine recorded nothing for the interface. */
  static String format(String cniVersion, String ifName, AddResult result) {
    List<CniResult.Ip> ips = new ArrayList<>();
    for (AddResult.IpConfig ip : result.ips()) {
      if (ifName.equals(ip.nic())) {
        ips.add(new CniResult.Ip(ip.version(), ip.address(), ip.gateway()));
      }
    }
    if (ips.isEmpty()) {
      throw new CniError(
          CniSpec.INTERNAL,
          "no Interface " + ifName + " IP allocation found",
          "the allocation answered addresses for " + nics(result) + " only");
    }
    List<CniResult.Route> routes = new ArrayList<>();
    for (AddResult.RouteConfig r : result.routes()) {
      if (ifName.equals(r.ifName())) {
        routes.add(new CniResult.Route(r.dst(), r.gw()));
      }
    }
    return CniResult.json(cniVersion, ips, routes);
  }

  private static List<String> nics(AddResult result) {
    return result.ips().stream().map(AddResult.IpConfig::nic).distinct().toList();
  }
}
