// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.k8s.ApiErrors;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.service.ipam.PoolStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pools as SpiderIPPool objects: the watch cache or fresh GETs, and record writes as merge patches
 * of the status subresource that carry the view's resourceVersion, so a concurrent writer turns
 * into a 409 ({@link PoolStatusPatch}). A write needs nothing but the version and the records, so
 * no write waits for a GET; after a 409 the store waits for the watch cache to show the winning
 * write rather than reading again (docs/architecture.md, "Contention").
 */
public final class KubernetesPoolStore implements PoolStore {
  private final KubernetesClient client;

  /** The object behind each pool's latest snapshot: whether its status has a totalIPCount. */
  private final Map<String, SpiderIPPool> lastRead = new ConcurrentHashMap<>();

  /**
   * Each pool's last snapshot: a lane reads the pool from the watch cache once per batch, and
   * parsing a thousand records again for a version already parsed is most of that read.
   */
  private final Map<String, Snapshot> parsed = new ConcurrentHashMap<>();

  private final PoolStatusPatch patch;

  private final Function<String, SpiderIPPool> cache;
  private final CacheSignal signal;

  public KubernetesPoolStore(KubernetesClient client) {
    this(client, name -> null, null);
  }

  /**
   * First attempts take the pool from {@code cache} (a watch cache lookup; null: not there, read
   * fresh); a lost write reads fresh.
   */
  public KubernetesPoolStore(KubernetesClient client, Function<String, SpiderIPPool> cache) {
    this(client, cache, null);
  }

  /**
   * With {@code cache} (a watch cache lookup), first attempts read no pool from the API server;
   * {@code signal}, bumped on every change the cache takes in, lets a lost write wait for the
   * winner's event (null: read fresh at once).
   */
  KubernetesPoolStore(
      KubernetesClient client, Function<String, SpiderIPPool> cache, CacheSignal signal) {
    this.client = client;
    this.patch = new PoolStatusPatch(client);
    this.cache = cache;
    this.signal = signal;
  }

  @Override
  public Snapshot readCached(String pool) {
    SpiderIPPool p = cache.apply(pool);
    if (p == null) {
      return read(pool);
    }
    lastRead.put(pool, p);
    return snapshotOf(p);
  }

  @Override
  public String cachedVersion(String pool) {
    SpiderIPPool p = cache.apply(pool);
    return p == null ? null : p.getMetadata().getResourceVersion();
  }

  @Override
  public Snapshot awaitNewer(String pool, String staleVersion, Duration max) {
    if (signal == null) {
      return read(pool);
    }
    long end = System.nanoTime() + max.toNanos();
    while (true) {
      long seen = signal.version();
      SpiderIPPool p = cache.apply(pool);
      if (p != null && PoolStore.olderThan(staleVersion, p.getMetadata().getResourceVersion())) {
        lastRead.put(pool, p);
        return snapshotOf(p);
      }
      long left = end - System.nanoTime();
      if (left <= 0 || !signal.awaitChange(seen, Duration.ofNanos(left))) {
        return read(pool);
      }
    }
  }

  @Override
  public Snapshot read(String pool) {
    SpiderIPPool p;
    try {
      p = client.resources(SpiderIPPool.class).withName(pool).get();
    } catch (KubernetesClientException e) {
      throw named(e);
    }
    if (p == null) {
      lastRead.remove(pool);
      parsed.remove(pool);
      return null;
    }
    lastRead.put(pool, p);
    return snapshotOf(p);
  }

  /** {@link #snapshot}, parsed once per pool and resourceVersion. */
  private Snapshot snapshotOf(SpiderIPPool p) {
    String name = p.getMetadata().getName();
    Snapshot last = parsed.get(name);
    if (last != null && last.resourceVersion().equals(p.getMetadata().getResourceVersion())) {
      return last;
    }
    Snapshot s = snapshot(p);
    parsed.put(name, s);
    return s;
  }

  /** The allocator's view of a pool object; a malformed spec names the pool. */
  public static Snapshot snapshot(SpiderIPPool p) {
    SpiderIPPoolSpec s = p.getSpec();
    String name = p.getMetadata().getName();
    try {
      PoolSpace space =
          PoolSpace.of(s.getSubnet(), s.getIps(), s.getExcludeIPs(), null, s.getGateway());
      List<Route> routes =
          s.getRoutes() == null
              ? List.of()
              : s.getRoutes().stream().map(r -> new Route(r.getDst(), r.getGw())).toList();
      String json = p.getStatus() == null ? null : p.getStatus().getAllocatedIPs();
      return new Snapshot(
          name,
          p.getMetadata().getResourceVersion(),
          space,
          routes,
          PoolRecords.parse(json),
          p.getMetadata().getDeletionTimestamp() != null);
    } catch (InvalidInputException e) {
      throw e.in("SpiderIPPool " + name);
    }
  }

  @Override
  public String writeRecords(String pool, String resourceVersion, PoolRecords records) {
    // totalIPCount is written only where the pool has none yet, as the PUT this replaced did
    SpiderIPPool seen = lastRead.get(pool);
    Long total =
        seen != null && seen.getStatus() != null && seen.getStatus().getTotalIPCount() != null
            ? null
            : totalOf(pool, seen);
    String body = PoolStatusPatch.body(resourceVersion, records.toJson(), records.size(), total);
    try {
      return patch.send(pool, body);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new Conflict("IPPool " + pool + " changed since it was read: " + e.getMessage());
      }
      if (e.getCode() == 404) {
        throw new InvalidInputException("IPPool " + pool + " does not exist");
      }
      throw named(e);
    }
  }

  private Long totalOf(String pool, SpiderIPPool seen) {
    Snapshot s = seen != null ? snapshotOf(seen) : parsed.get(pool);
    return s == null ? null : s.space().totalIpCount();
  }

  /** A failed call, named for what it means to an ADD: no answer at all, or the answer given. */
  static TransientException named(KubernetesClientException e) {
    return ApiErrors.named(e);
  }
}
