// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import io.spiderpool.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IPAM result of ADD in the shape of the requested spec version. An IPAM plugin's result has no
 * {@code interfaces} (the main plugin fills them) and so no {@code interface} index in {@code ips}.
 * Before 1.0.0 every {@code ips} entry carries {@code "version":"4"|"6"}; from 1.0.0 on the key is
 * gone. Routes are {@code dst} plus optional {@code gw}; {@code dns} is left out because Spiderpool
 * never fills it. Which entries belong in the result is the caller's choice.
 */
public final class CniResult {
  private CniResult() {}

  /**
   * One address: {@code version} 4 or 6, {@code address} as {@code ip/prefix}, the gateway or null.
   */
  public record Ip(int version, String address, String gateway) {}

  /** One route: the destination CIDR and the gateway or null. */
  public record Route(String dst, String gw) {}

  /** The result text; {@code routes} is left out when empty. */
  public static String json(String cniVersion, List<Ip> ips, List<Route> routes) {
    List<Object> ipList = new ArrayList<>();
    for (Ip ip : ips) {
      Map<String, Object> e = new LinkedHashMap<>();
      if (legacyIps(cniVersion)) {
        e.put("version", String.valueOf(ip.version()));
      }
      e.put("address", ip.address());
      if (present(ip.gateway())) {
        e.put("gateway", ip.gateway());
      }
      ipList.add(e);
    }
    List<Object> routeList = new ArrayList<>();
    for (Route r : routes) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("dst", r.dst());
      if (present(r.gw())) {
        e.put("gw", r.gw());
      }
      routeList.add(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cniVersion", cniVersion);
    out.put("ips", ipList);
    if (!routeList.isEmpty()) {
      out.put("routes", routeList);
    }
    return JsonWriter.write(out);
  }

  /**
   * Whether results of {@code version} carry {@code "version"} in each ips entry (before 1.0.0).
   */
  static boolean legacyIps(String version) {
    return version.startsWith("0.");
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}
