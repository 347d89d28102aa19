// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.range.PoolSpace;
import java.time.Duration;
import java.util.List;

/**
 * Where pools live (the SpiderIPPool status subresource in production, a map in tests). Reads are
 * fresh, never from a cache: an allocation decided on a stale read would only fail its
 * compare-and-set.
 */
public interface PoolStore {

  /** A pool at one resourceVersion, fresh from the store, or null when it does not exist. */
  Snapshot read(String pool);

  /**
   * A pool as a watch cache last saw it (may be stale), for a first attempt that costs no read: a
   * stale copy only makes the compare-and-set fail, and the retry reads fresh.
   */
  default Snapshot readCached(String pool) {
    return read(pool);
  }

  /**
   * After a write computed from {@code staleVersion} lost its compare-and-set: the pool once the
   * watch cache shows a later version than that (the write that won), waiting at most {@code max}
   * for it, else a fresh read. A store without a watch cache reads fresh at once.
   */
  default Snapshot awaitNewer(String pool, String staleVersion, Duration max) {
    return read(pool);
  }

  /**
   * The pool's resourceVersion as the watch cache shows it now, without a read or parsing the
   * records; null when the store has no cache or does not know the pool. A lane waiting for its
   * turn uses it to notice other nodes' writes (docs/architecture.md, "Contention").
   */
  default String cachedVersion(String pool) {
    return null;
  }

  /**
   * Whether version {@code a} is older than {@code b}. Kubernetes calls resourceVersions opaque but
   * they are etcd revisions, decimal and increasing; anything else compares as not older, which
   * only costs a compare-and-set that fails.
   */
  static boolean olderThan(String a, String b) {
    try {
      return Long.parseLong(a) < Long.parseLong(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Writes the records if the pool is still at {@code resourceVersion}; returns the new version.
   *
   * @throws Conflict when someone else wrote first
   */
  String writeRecords(String pool, String resourceVersion, PoolRecords records);

  /** A pool's spec fields the allocator needs, with its records and version. */
  record Snapshot(
      String name,
      String resourceVersion,
      PoolSpace space,
      List<Route> routes,
      PoolRecords records,
      boolean terminating) {}

  /** A route of {@code spec.routes}. */
  record Route(String dst, String gw) {}

  /** The compare-and-set lost: try again on a later version. */
  final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message) {
      super(message);
    }
  }
}
