// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.cni.CniProtocol;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.service.ipam.AddResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IPAM result of ADD in the shape of the requested spec version. An IPAM plugin's result has
 * no {@code interfaces} (the main plugin fills them) and so no {@code interface} index in
 * {@code ips}. Before 1.0.0 every {@code ips} entry carries {@code "version":"4"|"6"}; from 1.0.0
 * on the key is gone. Routes are {@code dst} plus optional {@code gw}; {@code dns} is left out
 * because Spiderpool never fills it. Only the entries of {@code CNI_IFNAME} are reported: the
 * engine answers with every NIC of the Pod.
 */
final class CniResultFormatter {
  private CniResultFormatter() {}

  /** The result text, or code 999 when the engine recorded nothing for the interface. */
  static String format(String cniVersion, String ifName, AddResult result) {
    List<Object> ips = new ArrayList<>();
    for (AddResult.IpConfig ip : result.ips()) {
      if (ifName.equals(ip.nic())) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (CniVersions.legacyIps(cniVersion)) {
          e.put("version", String.valueOf(ip.version()));
        }
        e.put("address", ip.address());
        if (ip.gateway() != null && !ip.gateway().isEmpty()) {
          e.put("gateway", ip.gateway());
        }
        ips.add(e);
      }
    }
    if (ips.isEmpty()) {
      throw new CniError(CniProtocol.INTERNAL, "no Interface " + ifName + " IP allocation found",
          "the allocation answered addresses for " + nics(result) + " only");
    }
    List<Object> routes = new ArrayList<>();
    for (AddResult.RouteConfig r : result.routes()) {
      if (ifName.equals(r.ifName())) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("dst", r.dst());
        if (r.gw() != null && !r.gw().isEmpty()) {
          e.put("gw", r.gw());
        }
        routes.add(e);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cniVersion", cniVersion);
    out.put("ips", ips);
    if (!routes.isEmpty()) {
      out.put("routes", routes);
    }
    return JsonWriter.write(out);
  }

  private static List<String> nics(AddResult result) {
    return result.ips().stream().map(AddResult.IpConfig::nic).distinct().toList();
  }
}
