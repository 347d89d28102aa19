// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.k8s.api.SpiderIPPool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Indexes of the pool cache that map a Pod (or endpoint) name and a StatefulSet name to the pools
 * holding records for it, so an event costs an index lookup instead of parsing every pool. The
 * indexers run when the informer stores a pool, i.e. once per pool change.
 */
final class PoolIndex {
  /** Key {@code namespace/name} of every record's Pod. */
  static final String BY_POD = "spiderpool-gc-pod";

  /**
   * Key {@code namespace/prefix} of every record whose Pod name looks like {@code
   * <prefix>-<ordinal>}.
   */
  static final String BY_STATEFULSET = "spiderpool-gc-statefulset";

  private static final Pattern ORDINAL = Pattern.compile("^(.*)-\\d+$");

  private PoolIndex() {}

  static void install(IndexerResourceCache<SpiderIPPool> pools) {
    pools.addIndexer(BY_POD, PoolIndex::podKeys);
    pools.addIndexer(BY_STATEFULSET, PoolIndex::statefulSetKeys);
  }

  static List<String> podKeys(SpiderIPPool p) {
    Set<String> keys = new LinkedHashSet<>();
    records(p).asMap().values().forEach(r -> keys.add(r.pod()));
    return new ArrayList<>(keys);
  }

  static List<String> statefulSetKeys(SpiderIPPool p) {
    Set<String> keys = new LinkedHashSet<>();
    for (var r : records(p).asMap().values()) {
      Matcher m = ORDINAL.matcher(r.pod());
      if (m.matches()) {
        keys.add(m.group(1));
      }
    }
    return new ArrayList<>(keys);
  }

  static Set<ResourceID> pools(IndexerResourceCache<SpiderIPPool> pools, String index, String key) {
    Set<ResourceID> out = new LinkedHashSet<>();
    for (SpiderIPPool p : pools.byIndex(index, key)) {
      out.add(ResourceID.fromResource(p));
    }
    return out;
  }

  /** A pool's records; a malformed status indexes nothing (the reconciler reports it). */
  static PoolRecords records(SpiderIPPool p) {
    try {
      return PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
    } catch (RuntimeException e) {
      return PoolRecords.empty();
    }
  }
}
