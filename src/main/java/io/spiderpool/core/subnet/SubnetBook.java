// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The subnet controller's bookkeeping of {@code controlledIPPools}
 * (docs/subnet.md#the-subnet-controller): a manually made child pool is recorded with its addresses
 * inside the subnet; an auto-created pool's record belongs to the resize
 * (docs/subnet.md#auto-pools) and is left as it is, or made from the pool's addresses when missing
 * (a pool of another implementation, or one whose record was lost); a record whose pool is gone is
 * dropped once the caller has confirmed it is not about to be made.
 */
public final class SubnetBook {
  private SubnetBook() {}

  /**
   * A pool that belongs to the subnet (controller owner reference or owner label).
   *
   * @param application {@link AppRef#key()} of an auto-created pool, null for a manual one
   * @param addresses its {@code ips} minus {@code excludeIPs}
   */
  public record Child(String pool, String application, RangeSet addresses) {
    public boolean auto() {
      return application != null;
    }
  }

  /**
   * Records whose pool is not among {@code children}: candidates to drop, for the caller to
   * confirm.
   */
  public static List<String> orphans(ControlledPools current, List<Child> children) {
    Set<String> present = new HashSet<>();
    children.forEach(c -> present.add(c.pool()));
    List<String> out = new ArrayList<>();
    for (String pool : current.entries().keySet()) {
      if (!present.contains(pool)) {
        out.add(pool);
      }
    }
    return out;
  }

  /**
   * The records after this pass.
   *
   * @param subnet the subnet's {@code ips} minus {@code excludeIPs}
   * @param gone orphans confirmed gone: their records are dropped
   */
  public static ControlledPools recompute(
      ControlledPools current, RangeSet subnet, List<Child> children, Set<String> gone) {
    IpFamily f = subnet.family();
    Map<String, ControlledPools.Entry> next = new TreeMap<>(current.entries());
    gone.forEach(next::remove);
    ControlledPools out = ControlledPools.empty();
    for (Map.Entry<String, ControlledPools.Entry> e : next.entrySet()) {
      out = out.with(e.getKey(), e.getValue());
    }
    for (Child c : children) {
      if (!c.auto()) {
        out = out.with(c.pool(), ControlledPools.Entry.of(c.addresses().intersect(subnet), null));
      }
    }
    for (Child c : children) {
      if (c.auto() && out.get(c.pool()).isEmpty()) {
        RangeSet free = c.addresses().intersect(subnet).minus(out.carvedExcept(c.pool(), f));
        out = out.with(c.pool(), ControlledPools.Entry.of(free, c.application()));
      }
    }
    return out;
  }
}
