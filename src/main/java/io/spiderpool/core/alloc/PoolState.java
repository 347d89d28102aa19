// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.alloc;

import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import java.util.Optional;
import java.util.Set;

/**
 * One pool as the allocator sees it at one {@code resourceVersion}: its address space, its records,
 * the reserved addresses of its family and the record cap. Every operation is a pure function
 * returning the next state, so a batch of requests can be applied to a fresh read and written once
 * (group commit), and replayed after a conflict.
 */
public record PoolState(
    String name, PoolSpace space, PoolRecords records, RangeSet reserved, int maxRecords) {

  /** The result of an allocation: the address and the state that holds it. */
  public record Allocated(IpAddress ip, PoolState next, boolean reused) {}

  /**
   * Gives {@code podUid} an address: the one it already holds here (a retried ADD must not take a
   * second address, Spiderpool #4295), else the lowest address not used, excluded or reserved.
   * Addresses in {@code heldElsewhere} are already the Pod's on another NIC and are not reused.
   */
  public Allocated allocate(String podKey, String podUid, Set<IpAddress> heldElsewhere) {
    for (var e : records.asMap().entrySet()) {
      if (e.getValue().podUid().equals(podUid)
          && !heldElsewhere.contains(IpAddress.parse(e.getKey()))) {
        return new Allocated(IpAddress.parse(e.getKey()), this, true);
      }
    }
    if (records.size() >= maxRecords) {
      throw new PoolExhaustedException(
          "all IP addresses used out, threshold of IP records(<="
              + maxRecords
              + ") for IPPool "
              + name
              + " exceeded");
    }
    RangeSet free = space.usable().minus(reserved);
    Optional<IpAddress> ip = free.lowestNotIn(records.used(space.subnet().family()));
    if (ip.isEmpty()) {
      throw new PoolExhaustedException(
          "all IP addresses used out: IPPool "
              + name
              + " has no free address in "
              + String.join(",", space.ips().toStrings()));
    }
    return new Allocated(
        ip.get(), withRecords(records.with(ip.get(), new PoolRecord(podKey, podUid))), false);
  }

  /** Removes the record of {@code ip} only if {@code podUid} holds it: the ownership check. */
  public PoolState release(IpAddress ip, String podUid) {
    PoolRecord r = records.get(ip);
    if (r == null || !r.podUid().equals(podUid)) {
      return this;
    }
    return withRecords(records.without(ip));
  }

  /**
   * Hands {@code ip} to a re-created Pod of the same name (StatefulSet, KubeVirt): the record must
   * be absent (then it is re-created — Spiderpool silently skips it,
   * docs/spiderpool-compat.md#deviations, which can duplicate an address) or held by the same
   * {@code ns/name}.
   */
  public PoolState reown(IpAddress ip, String podKey, String newUid) {
    PoolRecord r = records.get(ip);
    if (r != null && !r.pod().equals(podKey)) {
      throw new IllegalStateException(
          "data broken: "
              + ip
              + " of IPPool "
              + name
              + " is held by "
              + r.pod()
              + ", not "
              + podKey);
    }
    if (r == null && !space.usable().contains(ip)) {
      throw new IllegalStateException(
          "data broken: " + ip + " is no longer allocatable in IPPool " + name);
    }
    if (r != null && r.podUid().equals(newUid)) {
      return this;
    }
    return withRecords(records.with(ip, new PoolRecord(podKey, newUid)));
  }

  private PoolState withRecords(PoolRecords next) {
    return new PoolState(name, space, next, reserved, maxRecords);
  }
}
