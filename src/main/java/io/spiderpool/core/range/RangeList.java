// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.range;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Spiderpool range lists ({@code spec.ips}, {@code spec.excludeIPs}, reserved IPs) and
 * checks them against a family and a subnet. Each error names the field, the entry's index and
 * text, and what a valid entry looks like.
 */
public final class RangeList {
  private RangeList() {}

  /** Parses entries of one family, without a subnet to check against (SpiderReservedIP). */
  public static RangeSet parse(String field, List<String> entries, IpFamily family) {
    return parse(field, entries, family, null);
  }

  /** Parses entries that must all lie inside {@code subnet} (pool and subnet {@code ips}). */
  public static RangeSet parse(String field, List<String> entries, Cidr subnet) {
    return parse(field, entries, subnet.family(), subnet);
  }

  private static RangeSet parse(String field, List<String> entries, IpFamily family, Cidr subnet) {
    if (entries == null) {
      return RangeSet.empty(family);
    }
    List<IpRange> ranges = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      String where = field + "[" + i + "]";
      IpRange r;
      try {
        r = IpRange.parse(entries.get(i));
      } catch (InvalidInputException e) {
        throw e.in(where);
      }
      if (r.family() != family) {
        throw new InvalidInputException(
            where
                + ": '"
                + entries.get(i)
                + "' is "
                + r.family()
                + " but this list holds "
                + family
                + " addresses");
      }
      if (subnet != null && !subnet.contains(r)) {
        throw new InvalidInputException(
            where
                + ": '"
                + entries.get(i)
                + "' is not inside subnet "
                + subnet
                + ": use addresses from "
                + subnet.first()
                + " to "
                + subnet.last());
      }
      ranges.add(r);
    }
    return RangeSet.of(family, ranges);
  }
}
