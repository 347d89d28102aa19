// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.k8s.ApiErrors;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.service.ipam.PoolStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pools as SpiderIPPool objects: the watch cache or fresh GETs, and record writes to the status
 * subresource with the view's resourceVersion, so a concurrent writer turns into a 409. The object
 * a write returns is kept, so the next write from that version needs no GET; after a 409 the store
 * waits for the watch cache to show the winning write rather than reading again
 * (docs/architecture.md, "Contention").
 */
public final class KubernetesPoolStore implements PoolStore {
  private final KubernetesClient client;

  /**
   * The object behind each pool's latest snapshot: a write needs it whole, without a second GET.
   */
  private final Map<String, SpiderIPPool> lastRead = new ConcurrentHashMap<>();

  /** The object each pool's last successful write returned. */
  private final Map<String, SpiderIPPool> written = new ConcurrentHashMap<>();

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
    return snapshot(p);
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
        return snapshot(p);
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
      return null;
    }
    lastRead.put(pool, p);
    return snapshot(p);
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
    SpiderIPPool p = lastRead.get(pool);
    if (p == null || !resourceVersion.equals(p.getMetadata().getResourceVersion())) {
      p = written.get(pool);
    }
    if (p == null || !resourceVersion.equals(p.getMetadata().getResourceVersion())) {
      try {
        p = client.resources(SpiderIPPool.class).withName(pool).get();
      } catch (KubernetesClientException e) {
        throw named(e);
      }
    }
    if (p == null) {
      throw new InvalidInputException("IPPool " + pool + " does not exist");
    }
    if (!resourceVersion.equals(p.getMetadata().getResourceVersion())) {
      throw new Conflict("IPPool " + pool + " changed since it was read");
    }
    // never mutate a watch cache's object: the write goes out as a shallow copy with its own
    // metadata and status (a deep clone would serialise and parse the whole record text twice)
    SpiderIPPool out = new SpiderIPPool();
    out.setMetadata(new ObjectMetaBuilder(p.getMetadata()).build());
    out.setSpec(p.getSpec());
    SpiderIPPoolStatus status = new SpiderIPPoolStatus();
    status.setAllocatedIPs(records.toJson());
    status.setAllocatedIPCount((long) records.size());
    status.setTotalIPCount(
        p.getStatus() != null && p.getStatus().getTotalIPCount() != null
            ? p.getStatus().getTotalIPCount()
            : snapshot(p).space().totalIpCount());
    out.setStatus(status);
    try {
      SpiderIPPool now = client.resource(out).updateStatus();
      written.put(pool, now);
      return now.getMetadata().getResourceVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new Conflict(e.getMessage());
      }
      throw named(e);
    }
  }

  /** A failed call, named for what it means to an ADD: no answer at all, or the answer given. */
  static TransientException named(KubernetesClientException e) {
    return ApiErrors.named(e);
  }
}
