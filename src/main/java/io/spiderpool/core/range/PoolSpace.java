// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.range;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The address space of one pool: {@code spec.ips} minus {@code spec.excludeIPs} minus reserved IPs,
 * checked against {@code spec.subnet} and {@code spec.gateway} with Spiderpool's rules. {@link
 * #totalIpCount()} is what Spiderpool's controller stores as {@code totalIPCount} (reserved IPs do
 * not lower it there, and do not here).
 */
public record PoolSpace(
    Cidr subnet, RangeSet ips, RangeSet excluded, RangeSet reserved, Optional<IpAddress> gateway) {

  /** Parses and validates a pool's spec fields; reserved IPs may be null. */
  public static PoolSpace of(
      String subnet,
      List<String> ips,
      List<String> excludeIps,
      List<String> reservedIps,
      String gateway) {
    Cidr cidr;
    try {
      cidr = Cidr.parse(subnet);
    } catch (InvalidInputException e) {
      throw e.in("spec.subnet");
    }
    RangeSet in = RangeList.parse("spec.ips", ips, cidr);
    RangeSet ex = RangeList.parse("spec.excludeIPs", excludeIps, cidr);
    RangeSet res = RangeList.parse("reserved IPs", reservedIps, cidr.family());
    Optional<IpAddress> gw = Optional.empty();
    if (gateway != null && !gateway.isEmpty()) {
      IpAddress g;
      try {
        g = IpAddress.parse(gateway, cidr.family());
      } catch (InvalidInputException e) {
        throw e.in("spec.gateway");
      }
      if (!cidr.contains(g)) {
        throw new InvalidInputException(
            "spec.gateway: "
                + g
                + " is not inside subnet "
                + cidr
                + ": use an address of the subnet");
      }
      if (in.contains(g) && !ex.contains(g)) {
        throw new InvalidInputException(
            "spec.gateway: "
                + g
                + " is inside spec.ips: remove it from spec.ips or add it to"
                + " spec.excludeIPs, so that no pod is given the gateway's address");
      }
      gw = Optional.of(g);
    }
    return new PoolSpace(cidr, in, ex, res, gw);
  }

  /** Addresses that may be handed out: ips − excludeIPs − reserved. */
  public RangeSet usable() {
    return ips.minus(excluded).minus(reserved);
  }

  /** Spiderpool's {@code totalIPCount}: size of ips − excludeIPs, capped at 2^63-1. */
  public long totalIpCount() {
    return ips.minus(excluded).sizeCapped();
  }

  /** The next {@code n} addresses lowest-first allocation would hand out, given {@code used}. */
  public List<IpAddress> nextFree(RangeSet used, int n) {
    RangeSet free = usable();
    RangeSet taken = used;
    List<IpAddress> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Optional<IpAddress> ip = free.lowestNotIn(taken);
      if (ip.isEmpty()) {
        break;
      }
      out.add(ip.get());
      taken = taken.union(RangeSet.ofAddresses(subnet.family(), List.of(ip.get())));
    }
    return out;
  }
}
