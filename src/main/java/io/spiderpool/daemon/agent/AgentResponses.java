// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EndpointView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the agent API's response models as Spiderpool's generated Go models marshal them:
 * properties in alphabetical order, optional ones omitted when empty, zero or false ({@code
 * omitempty}), required ones always present.
 */
final class AgentResponses {
  private AgentResponses() {}

  /** {@code IpamAddResponse} {ips, routes}; {@code dns} is never filled, as in Spiderpool. */
  static String addResponse(AddResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> ips = new ArrayList<>();
    for (AddResult.IpConfig ip : result.ips()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", ip.address());
      putIf(m, "enableGatewayDetection", ip.enableGatewayDetection());
      putIf(m, "enableIPConflictDetection", ip.enableIpConflictDetection());
      putIf(m, "gateway", ip.gateway());
      putIf(m, "ipPool", ip.ipPool());
      m.put("nic", ip.nic());
      m.put("version", (long) ip.version());
      putIf(m, "vlan", ip.vlan());
      ips.add(m);
    }
    out.put("ips", ips);
    List<Object> routes = new ArrayList<>();
    for (AddResult.RouteConfig r : result.routes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dst", r.dst());
      m.put("gw", r.gw());
      m.put("ifName", r.ifName());
      routes.add(m);
    }
    if (!routes.isEmpty()) {
      out.put("routes", routes);
    }
    return JsonWriter.write(out);
  }

  /** {@code WorkloadEndpointStatus}; routes of an interface carry no {@code ifName}. */
  static String endpoint(EndpointView e) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> nics = new ArrayList<>();
    for (EndpointView.Interface nic : e.interfaces()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("interface", nic.name());
      putIf(m, "ipv4", nic.ipv4());
      putIf(m, "ipv4Gateway", nic.ipv4Gateway());
      putIf(m, "ipv4Pool", nic.ipv4Pool());
      putIf(m, "ipv6", nic.ipv6());
      putIf(m, "ipv6Gateway", nic.ipv6Gateway());
      putIf(m, "ipv6Pool", nic.ipv6Pool());
      putIf(m, "mac", nic.mac());
      List<Object> routes = new ArrayList<>();
      for (AddResult.RouteConfig r :
          nic.routes() == null ? List.<AddResult.RouteConfig>of() : nic.routes()) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("dst", r.dst());
        rm.put("gw", r.gw());
        routes.add(rm);
      }
      if (!routes.isEmpty()) {
        m.put("routes", routes);
      }
      putIf(m, "vlan", nic.vlan());
      nics.add(m);
    }
    if (!nics.isEmpty()) {
      out.put("interfaces", nics);
    }
    putIf(out, "node", e.node());
    putIf(out, "podName", e.podName());
    putIf(out, "podNamespace", e.podNamespace());
    putIf(out, "podUID", e.podUid());
    return JsonWriter.write(out);
  }

  private static void putIf(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }

  private static void putIf(Map<String, Object> m, String key, boolean value) {
    if (value) {
      m.put(key, true);
    }
  }

  private static void putIf(Map<String, Object> m, String key, int value) {
    if (value != 0) {
      m.put(key, (long) value);
    }
  }
}
