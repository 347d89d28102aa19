// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import java.util.Optional;

/**
 * Another pool or subnet an object must not collide with: a stored object, or a claim of one that
 * was admitted a moment ago and may not be listable yet ({@link ClaimBook}).
 *
 * @param ips its addresses: {@code ips} minus {@code excludeIPs}
 * @param note appended to its description in messages ("" for stored objects)
 */
public record Neighbour(AdmissionKind kind, String name, Cidr subnet, RangeSet ips, String note) {

  /**
   * The neighbour view of a stored object; empty when its subnet cannot be read at all (an object
   * stored before any webhook checked it). Unreadable ranges count as no addresses.
   */
  public static Optional<Neighbour> of(AdmissionObject o) {
    AddressSpec s = o.spec();
    Cidr subnet;
    try {
      subnet = Cidr.parsePrefixed(s.subnet()).cidr();
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
    RangeSet ips;
    try {
      ips =
          RangeList.parse("spec.ips", s.ips(), subnet)
              .minus(RangeList.parse("spec.excludeIPs", s.excludeIps(), subnet));
    } catch (InvalidInputException e) {
      ips = RangeSet.empty(subnet.family());
    }
    return Optional.of(new Neighbour(o.kind(), o.name(), subnet, ips, ""));
  }

  /** {@code SpiderIPPool b (10.0.0.0/24)} plus the note, for messages. */
  public String describe() {
    return kind + " " + name + " (" + subnet + ")" + note;
  }
}
