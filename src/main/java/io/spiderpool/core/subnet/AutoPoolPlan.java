// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import io.spiderpool.core.range.RangeSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The addresses an auto-pool should hold and the writes that get it there (docs/subnet.md,
 * "Resizing"). A pure function of the subnet's address space, its {@code controlledIPPools}, the
 * pool's current {@code spec.ips} and allocations, and the desired size.
 *
 * <p>The target keeps every allocated address, then the pool's other addresses (lowest first), then
 * addresses already carved for the pool but not in it (an interrupted grow), then the subnet's
 * lowest free addresses. So a grow takes the lowest free addresses, a shrink gives back only
 * unallocated ones (the highest first, which keeps the pool compact), and re-running the plan after
 * any interrupted write lands on the same addresses: nothing is lost or carved twice.
 *
 * <p>The writes, each a compare-and-set: (1) the subnet records the target for the pool, with
 * everything else the pool or its record held still carved as {@code releasing}; (2) the pool gets
 * the target as {@code spec.ips}; (3) the subnet drops {@code releasing}. At every moment the
 * pool's addresses are carved for it and for no other pool.
 *
 * @param target the pool's {@code spec.ips} after the resize
 * @param carve the subnet's {@code controlledIPPools} for write 1
 * @param settled the subnet's {@code controlledIPPools} for write 3
 * @param stuck allocated addresses above the desired size: the pool cannot shrink further until
 *     their Pods release them
 * @param shortage present when the subnet lacks free addresses; then nothing is to be written
 */
public record AutoPoolPlan(
    RangeSet target,
    ControlledPools carve,
    ControlledPools settled,
    int stuck,
    Optional<Shortage> shortage) {

  /**
   * The subnet cannot serve the desired size.
   *
   * @param desired the size asked for
   * @param reachable addresses the pool could hold: allocated, its own and carved ones, and free
   *     ones
   * @param free the subnet's free addresses (not carved for any pool, not reserved)
   */
  public record Shortage(int desired, long reachable, long free) {
    /** How many addresses are missing. */
    public long lacking() {
      return desired - reachable;
    }
  }

  /**
   * What the plan is computed from.
   *
   * @param pool the auto-pool's name
   * @param application {@link AppRef#key()} recorded with the pool's addresses
   * @param subnetIps the subnet's {@code ips} minus {@code excludeIPs}
   * @param reserved addresses of SpiderReservedIPs of this family: never carved
   * @param controlled the subnet's {@code controlledIPPools} as read
   * @param poolIps the pool's {@code spec.ips}; empty when the pool does not exist
   * @param allocated the pool's allocated addresses (keys of {@code status.allocatedIPs})
   * @param desired the size the pool should have
   */
  public record Input(
      String pool,
      String application,
      IpFamily family,
      RangeSet subnetIps,
      RangeSet reserved,
      ControlledPools controlled,
      RangeSet poolIps,
      RangeSet allocated,
      int desired) {}

  /** Whether write 1 changes the subnet. */
  public boolean carves(ControlledPools before) {
    return !carve.equals(before);
  }

  /** Whether write 3 is needed after write 2. */
  public boolean releases() {
    return !settled.equals(carve);
  }

  /**
   * Plans a resize.
   *
   * @throws InvalidInputException when an allocated address of the pool is carved for another pool
   *     (two pools hold it: the records need a person)
   */
  public static AutoPoolPlan of(Input in) {
    IpFamily f = in.family();
    RangeSet others = in.controlled().carvedExcept(in.pool(), f);
    RangeSet mine = in.controlled().get(in.pool()).map(e -> e.carved(f)).orElse(RangeSet.empty(f));
    RangeSet a = in.allocated();
    RangeSet shared = a.intersect(others);
    if (!shared.isEmpty()) {
      throw new InvalidInputException(
          "IPPool "
              + in.pool()
              + " has allocated "
              + String.join(",", shared.toStrings())
              + ", which controlledIPPools records for another pool: two pools hold these addresses;"
              + " release them from one of the pools by hand");
    }
    RangeSet usable = in.subnetIps().minus(in.reserved()).minus(others);
    RangeSet own = in.poolIps().minus(a).intersect(usable);
    RangeSet carvedOnly = mine.minus(in.poolIps()).minus(a).intersect(usable);
    RangeSet free = usable.minus(mine).minus(in.poolIps()).minus(a);
    BigInteger need = BigInteger.valueOf(in.desired()).subtract(a.size());
    RangeSet target = a;
    int stuck = need.signum() < 0 ? need.negate().intValueExact() : 0;
    if (need.signum() > 0) {
      BigInteger reachable = own.size().add(carvedOnly.size()).add(free.size());
      if (reachable.compareTo(need) < 0) {
        return new AutoPoolPlan(
            in.poolIps(),
            in.controlled(),
            in.controlled(),
            0,
            Optional.of(
                new Shortage(
                    in.desired(), a.size().add(reachable).longValueExact(), capped(free.size()))));
      }
      for (RangeSet group : List.of(own, carvedOnly, free)) {
        if (need.signum() == 0) {
          break;
        }
        RangeSet taken = lowest(group, need);
        target = target.union(taken);
        need = need.subtract(taken.size());
      }
    }
    // what the pool or its record held beyond the target stays carved until write 3: a pool read
    // from a lagging cache may hold more than it shows, and it must never list an uncarved address
    RangeSet releasing = in.poolIps().union(mine).minus(target).minus(others);
    ControlledPools carve =
        in.controlled()
            .with(
                in.pool(),
                new ControlledPools.Entry(
                    target.toStrings(), in.application(), releasing.toStrings()));
    ControlledPools settled =
        in.controlled().with(in.pool(), ControlledPools.Entry.of(target, in.application()));
    return new AutoPoolPlan(target, carve, settled, stuck, Optional.empty());
  }

  /** The lowest {@code n} addresses of {@code set} (all of it when smaller), range by range. */
  static RangeSet lowest(RangeSet set, BigInteger n) {
    List<IpRange> out = new ArrayList<>();
    BigInteger left = n;
    for (IpRange r : set.ranges()) {
      if (left.signum() <= 0) {
        break;
      }
      BigInteger size = r.size();
      if (size.compareTo(left) <= 0) {
        out.add(r);
        left = left.subtract(size);
      } else {
        out.add(new IpRange(r.start(), r.start().plus(left.subtract(BigInteger.ONE))));
        left = BigInteger.ZERO;
      }
    }
    return RangeSet.of(set.family(), out);
  }

  private static long capped(BigInteger n) {
    return n.bitLength() > 62 ? Long.MAX_VALUE : n.longValue();
  }
}
