// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.store.KubernetesPoolStore;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * How full one pool is (docs/cli.md#spiderpool-pool-list). Counts are of addresses: {@code total}
 * is Spiderpool's {@code totalIPCount} (spec.ips minus spec.excludeIPs), {@code excluded} the
 * addresses of spec.ips that spec.excludeIPs removes, {@code reserved} those of the rest a
 * SpiderReservedIP keeps, {@code allocated} the records, {@code free} what an ADD could still be
 * given and {@code largestFreeRun} the longest run of consecutive free addresses.
 *
 * @param recordsPerNode records by the node of their SpiderEndpoint ("" when none names one)
 */
public record PoolUsage(
    String name,
    int ipVersion,
    String subnet,
    long total,
    long allocated,
    long free,
    long reserved,
    long excluded,
    long largestFreeRun,
    boolean disabled,
    boolean isDefault,
    boolean terminating,
    Map<String, Integer> recordsPerNode) {

  /** The usage of {@code pool} given the reserved addresses of its family. */
  public static PoolUsage of(
      SpiderIPPool pool, RangeSet reservedOfFamily, Map<String, Integer> perNode) {
    PoolSpace space = KubernetesPoolStore.snapshot(pool).space();
    PoolRecords records = KubernetesPoolStore.snapshot(pool).records();
    IpFamily family = space.subnet().family();
    RangeSet inPool = space.ips().minus(space.excluded());
    RangeSet reserved = inPool.intersect(reservedOfFamily);
    RangeSet free = inPool.minus(reservedOfFamily).minus(records.used(family));
    BigInteger largest = BigInteger.ZERO;
    for (IpRange r : free.ranges()) {
      largest = largest.max(r.size());
    }
    return new PoolUsage(
        pool.getMetadata().getName(),
        family == IpFamily.V4 ? 4 : 6,
        space.subnet().toString(),
        space.totalIpCount(),
        records.size(),
        free.sizeCapped(),
        reserved.sizeCapped(),
        space.ips().intersect(space.excluded()).sizeCapped(),
        largest.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(),
        Boolean.TRUE.equals(pool.getSpec().getDisable()),
        Boolean.TRUE.equals(pool.getSpec().getDefault()),
        pool.getMetadata().getDeletionTimestamp() != null,
        new TreeMap<>(perNode));
  }
}
