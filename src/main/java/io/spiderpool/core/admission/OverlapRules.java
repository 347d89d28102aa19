// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeSet;
import java.util.List;

/**
 * Rules between an object and the other pools and subnets. Pools may share a subnet only when it is
 * identical, and then not an address; a subnet overlaps no other subnet, equals or avoids every
 * pool's subnet, and holds the addresses of the pools on its CIDR.
 */
final class OverlapRules {
  private OverlapRules() {}

  static void pool(
      String name, Cidr subnet, RangeSet usable, List<Neighbour> others, boolean subnetFeature) {
    for (Neighbour n : others) {
      if (n.kind() == AdmissionKind.IPPOOL && n.name().equals(name)) {
        continue;
      }
      if (!n.subnet().overlaps(subnet)) {
        continue;
      }
      if (!n.subnet().equals(subnet)) {
        throw Rejection.invalid(
            "spec.subnet "
                + subnet
                + " overlaps "
                + n.describe()
                + ": a pool's"
                + " subnet must be identical to or disjoint from every other pool's and SpiderSubnet's;"
                + " use "
                + n.subnet()
                + " or a subnet that does not overlap it");
      }
      if (n.kind() == AdmissionKind.IPPOOL) {
        RangeSet shared = usable.intersect(n.ips());
        if (!shared.isEmpty()) {
          throw Rejection.invalid(
              "spec.ips "
                  + String.join(",", shared.toStrings())
                  + " overlap "
                  + n.describe()
                  + ": remove these addresses from spec.ips or add them to spec.excludeIPs");
        }
      } else if (n.kind() == AdmissionKind.SUBNET && subnetFeature) {
        RangeSet outside = usable.minus(n.ips());
        if (!outside.isEmpty()) {
          throw Rejection.invalid(
              "spec.ips "
                  + String.join(",", outside.toStrings())
                  + " are not among"
                  + " the IPs of "
                  + n.describe()
                  + ": add them to the SpiderSubnet's spec.ips first,"
                  + " or use addresses it holds");
        }
      }
    }
  }

  static void subnet(String name, Cidr subnet, RangeSet usable, List<Neighbour> others) {
    for (Neighbour n : others) {
      if (n.kind() == AdmissionKind.SUBNET && n.name().equals(name)) {
        continue;
      }
      if (!n.subnet().overlaps(subnet)) {
        continue;
      }
      if (n.kind() == AdmissionKind.SUBNET) {
        throw Rejection.invalid(
            "spec.subnet "
                + subnet
                + " overlaps "
                + n.describe()
                + ": SpiderSubnets must not overlap, not even with an identical subnet; choose a disjoint"
                + " subnet or add the addresses to "
                + n.name());
      }
      if (!n.subnet().equals(subnet)) {
        throw Rejection.invalid(
            "spec.subnet "
                + subnet
                + " overlaps "
                + n.describe()
                + ": a"
                + " SpiderSubnet must be identical to or disjoint from every pool's subnet; use "
                + n.subnet()
                + " or a subnet that does not overlap it");
      }
      RangeSet outside = n.ips().minus(usable);
      if (!outside.isEmpty()) {
        throw Rejection.invalid(
            n.describe()
                + " uses "
                + String.join(",", outside.toStrings())
                + ", which are not in spec.ips minus spec.excludeIPs: add them to spec.ips (or remove"
                + " them from spec.excludeIPs)");
      }
    }
  }
}
