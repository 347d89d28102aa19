// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The checks of one object's spec on its own (no other objects involved). */
final class SpecRules {
  private SpecRules() {}

  /** A pool's or subnet's spec, checked and parsed. */
  record Checked(IpFamily family, PoolSpace space) {
    /** ips minus excludeIPs. */
    RangeSet usable() {
      return space.ips().minus(space.excluded());
    }
  }

  static IpFamily family(Long ipVersion, ClusterConfig config) {
    if (ipVersion == null) {
      throw Rejection.invalid(
          "spec.ipVersion is missing: write 4 or 6 (or give a valid spec.subnet,"
              + " from which it is derived)");
    }
    IpFamily family;
    try {
      family = IpFamily.ofVersion(ipVersion);
    } catch (IllegalArgumentException e) {
      throw Rejection.invalid("spec." + e.getMessage());
    }
    if (!config.enabled(family)) {
      String key = family == IpFamily.V4 ? "enableIPv4" : "enableIPv6";
      throw Rejection.invalid(
          "spec.ipVersion: "
              + family
              + " is disabled in spiderpool-conf ("
              + key
              + ": false): use the other family, or set "
              + key
              + ": true and restart the daemons");
    }
    return family;
  }

  /** Checks subnet, ips, excludeIPs, gateway and routes of a pool or subnet. */
  static Checked subnetSpec(AddressSpec spec, ClusterConfig config) {
    if (spec.subnet() == null || spec.subnet().isEmpty()) {
      throw Rejection.invalid("spec.subnet is missing: write the pool's network, e.g. 10.0.0.0/24");
    }
    IpFamily family = family(spec.ipVersion(), config);
    Cidr subnet;
    try {
      subnet = Cidr.parse(spec.subnet(), family);
    } catch (InvalidInputException e) {
      throw Rejection.invalid(
          "spec.subnet "
              + e.getMessage()
              + (e.getMessage().contains(" one is expected")
                  ? " (spec.ipVersion is " + family.version() + ")"
                  : ""));
    }
    PoolSpace space;
    try {
      space = PoolSpace.of(subnet.toString(), spec.ips(), spec.excludeIps(), null, spec.gateway());
    } catch (InvalidInputException e) {
      throw Rejection.invalid(e.getMessage());
    }
    routes(spec.routes(), subnet);
    return new Checked(family, space);
  }

  static void routes(List<RouteSpec> routes, Cidr subnet) {
    if (routes == null) {
      return;
    }
    Map<Cidr, Integer> seen = new HashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      String where = "spec.routes[" + i + "]";
      RouteSpec r = routes.get(i);
      Cidr dst;
      try {
        dst = Cidr.parse(r.dst(), subnet.family());
      } catch (InvalidInputException e) {
        throw Rejection.invalid(where + ".dst: " + e.getMessage());
      }
      if (dst.prefix() == 0) {
        throw Rejection.invalid(
            where
                + ".dst: "
                + dst
                + " is the default route: remove this route"
                + " and set spec.gateway instead");
      }
      Integer earlier = seen.putIfAbsent(dst, i);
      if (earlier != null) {
        throw Rejection.invalid(
            where
                + ".dst: "
                + dst
                + " is already routed by spec.routes["
                + earlier
                + "]: keep one route per destination");
      }
      IpAddress gw;
      try {
        gw = IpAddress.parse(r.gw(), subnet.family());
      } catch (InvalidInputException e) {
        throw Rejection.invalid(where + ".gw: " + e.getMessage());
      }
      if (!subnet.contains(gw)) {
        throw Rejection.invalid(
            where
                + ".gw: "
                + gw
                + " is not inside subnet "
                + subnet
                + ": use a next hop the pods can reach directly, from "
                + subnet.first()
                + " to "
                + subnet.last());
      }
    }
  }

  static void podAffinity(AddressSpec spec) {
    if (spec.podAffinityEmpty()) {
      throw Rejection.invalid(
          "spec.podAffinity is empty ({}), which would match every pod: remove it,"
              + " or give matchLabels or matchExpressions");
    }
  }

  /** A reserved IP's spec: non-empty {@code ips}, all of its family. */
  static RangeSet reservedIps(AddressSpec spec, ClusterConfig config) {
    if (spec.ips() == null || spec.ips().isEmpty()) {
      throw Rejection.invalid(
          "spec.ips is empty: list the addresses to reserve, e.g. 10.0.0.10 or"
              + " 10.0.0.10-10.0.0.20");
    }
    IpFamily family = family(spec.ipVersion(), config);
    try {
      return RangeList.parse("spec.ips", spec.ips(), family);
    } catch (InvalidInputException e) {
      throw Rejection.invalid(e.getMessage());
    }
  }
}
