// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderReservedIP;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The addresses SpiderReservedIPs keep from every pool and every carve
 * (docs/spiderpool-compat.md#crds).
 */
public final class ReservedAddresses {
  private static final Logger LOG = Logger.getLogger(ReservedAddresses.class.getName());

  private ReservedAddresses() {}

  /**
   * Addresses of the non-terminating {@code reserved} of {@code family}; malformed entries are
   * skipped.
   */
  public static RangeSet of(Collection<SpiderReservedIP> reserved, IpFamily family) {
    List<String> all = new ArrayList<>();
    for (SpiderReservedIP r : reserved) {
      if (r.getMetadata().getDeletionTimestamp() != null
          || r.getSpec() == null
          || r.getSpec().getIps() == null) {
        continue;
      }
      for (String s : r.getSpec().getIps()) {
        IpAddress first = IpAddress.tryParse(s.contains("-") ? s.substring(0, s.indexOf('-')) : s);
        if (first != null && first.family() == family) {
          all.add(s);
        }
      }
    }
    try {
      return RangeList.parse("SpiderReservedIP ips", all, family);
    } catch (InvalidInputException e) {
      LOG.log(Level.WARNING, "ignoring malformed SpiderReservedIP entries: " + e.getMessage());
      return RangeSet.empty(family);
    }
  }
}
