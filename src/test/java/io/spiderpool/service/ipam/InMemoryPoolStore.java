// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.range.PoolSpace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The pool store in memory, with the API server's compare-and-set; for service tests. */
final class InMemoryPoolStore implements PoolStore {
  private final Map<String, Snapshot> pools = new ConcurrentHashMap<>();
  private final AtomicInteger version = new AtomicInteger();

  /**
   * Writes that will be refused as conflicts before the next ones succeed (simulated other nodes).
   */
  final AtomicInteger conflictsToInject = new AtomicInteger();

  final AtomicInteger writes = new AtomicInteger();

  /** Fresh reads ({@link #read}), the GETs of the real store. */
  final AtomicInteger freshReads = new AtomicInteger();

  /** When set, every read and write fails with it (an unreachable API server). */
  volatile RuntimeException unreachable;

  /** What a watch cache that lags one write behind would show; null: the cache is current. */
  private final Map<String, Snapshot> lagging = new ConcurrentHashMap<>();

  volatile boolean cacheLags;

  /** How long a write takes, as a round trip to the API server does (0: instant). */
  volatile long writeMillis;

  void add(String name, PoolSpace space) {
    pools.put(
        name,
        new Snapshot(
            name,
            String.valueOf(version.incrementAndGet()),
            space,
            List.of(),
            PoolRecords.empty(),
            false));
  }

  PoolRecords records(String name) {
    return pools.get(name).records();
  }

  @Override
  public Snapshot read(String pool) {
    freshReads.incrementAndGet();
    if (unreachable != null) {
      throw unreachable;
    }
    return pools.get(pool);
  }

  @Override
  public Snapshot readCached(String pool) {
    if (unreachable != null) {
      throw unreachable;
    }
    Snapshot stale = cacheLags ? lagging.get(pool) : null;
    return stale != null ? stale : pools.get(pool);
  }

  @Override
  public String cachedVersion(String pool) {
    Snapshot stale = cacheLags ? lagging.get(pool) : null;
    Snapshot cur = stale != null ? stale : pools.get(pool);
    return cur == null ? null : cur.resourceVersion();
  }

  @Override
  public synchronized String writeRecords(
      String pool, String resourceVersion, PoolRecords records) {
    if (writeMillis > 0) {
      try {
        Thread.sleep(writeMillis); // the round trip: requests meanwhile queue behind this write
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Snapshot cur = pools.get(pool);
    if (conflictsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      String rv = String.valueOf(version.incrementAndGet()); // someone else wrote in between
      pools.put(
          pool,
          new Snapshot(pool, rv, cur.space(), cur.routes(), cur.records(), cur.terminating()));
      throw new Conflict("injected");
    }
    if (!cur.resourceVersion().equals(resourceVersion)) {
      throw new Conflict("stale");
    }
    String rv = String.valueOf(version.incrementAndGet());
    lagging.put(pool, cur);
    pools.put(pool, new Snapshot(pool, rv, cur.space(), cur.routes(), records, cur.terminating()));
    writes.incrementAndGet();
    return rv;
  }
}
