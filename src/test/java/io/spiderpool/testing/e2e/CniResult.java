// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNI result (spec 0.3.0 to 1.x share this shape) as data: addresses with the interface they
 * belong to, and routes. Also parses the error object a failing plugin prints.
 */
public record CniResult(
    String cniVersion, List<String> interfaces, List<Ip> ips, List<Route> routes) {

  /** An {@code ips} entry; {@code iface} is the name of {@code interfaces[interface]} or null. */
  public record Ip(String address, String gateway, String iface) {
    /** 4 or 6. */
    public int family() {
      return address.contains(":") ? 6 : 4;
    }
  }

  /**
   * A {@code routes} entry; {@code gw} may be null (on-link / default gateway of the interface).
   */
  public record Route(String dst, String gw) {
    /** 4 or 6. */
    public int family() {
      return dst.contains(":") ? 6 : 4;
    }
  }

  /** A plugin's error output: {@code {"cniVersion","code","msg","details"}}. */
  public record Error(int code, String msg, String details) {
    /** Parses the stdout of a failed invocation. */
    public static Error parse(String stdout) {
      JsonNode n = NetConf.parse(stdout);
      return new Error(n.path("code").asInt(), n.path("msg").asText(), n.path("details").asText());
    }
  }

  /** Parses the stdout of a successful ADD. */
  public static CniResult parse(String stdout) {
    JsonNode n = NetConf.parse(stdout);
    List<String> interfaces = new ArrayList<>();
    for (JsonNode i : n.path("interfaces")) {
      interfaces.add(i.path("name").asText());
    }
    List<Ip> ips = new ArrayList<>();
    for (JsonNode i : n.path("ips")) {
      String iface =
          i.has("interface") && i.path("interface").asInt() < interfaces.size()
              ? interfaces.get(i.path("interface").asInt())
              : null;
      ips.add(
          new Ip(
              i.path("address").asText(),
              i.hasNonNull("gateway") ? i.path("gateway").asText() : null,
              iface));
    }
    List<Route> routes = new ArrayList<>();
    for (JsonNode r : n.path("routes")) {
      routes.add(
          new Route(r.path("dst").asText(), r.hasNonNull("gw") ? r.path("gw").asText() : null));
    }
    return new CniResult(n.path("cniVersion").asText(), interfaces, ips, routes);
  }

  /** Addresses of one family, {@code ip/prefix}. */
  public List<String> addresses(int family) {
    return ips.stream().filter(i -> i.family() == family).map(Ip::address).toList();
  }

  /** Routes of one family. */
  public List<Route> routes(int family) {
    return routes.stream().filter(r -> r.family() == family).toList();
  }
}
