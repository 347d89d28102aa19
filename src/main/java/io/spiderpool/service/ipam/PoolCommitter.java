// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.RangeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Group commit of pool changes. Requests for one pool queue in a lane; one thread at a time drains
 * the lane, applies every queued change to a fresh read of the pool and writes the result once,
 * guarded by the read's {@code resourceVersion}. A burst of N allocations on a node thus costs
 * about one status write per round trip instead of N, and the node's own requests never conflict
 * with each other — only other nodes' writes do. On a conflict the whole batch is replayed on a new
 * read, with bounded, jittered backoff.
 */
public final class PoolCommitter {
  /** A change to one pool: computes a result and the next state from the current one. */
  public interface Change<T> {
    Applied<T> apply(PoolState state);
  }

  /** What a change produced. */
  public record Applied<T>(T result, PoolState next) {}

  private final PoolStore store;
  private final Function<PoolStore.Snapshot, RangeSet> reservedOf;
  private final int maxRecords;
  private final int maxAttempts;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final IpamMetrics metrics;

  public PoolCommitter(
      PoolStore store,
      Function<PoolStore.Snapshot, RangeSet> reservedOf,
      int maxRecords,
      int maxAttempts,
      IpamMetrics metrics) {
    this.store = store;
    this.reservedOf = reservedOf;
    this.maxRecords = maxRecords;
    this.maxAttempts = maxAttempts;
    this.metrics = metrics;
  }

  /** Status writes made so far (for metrics and benchmarks). */
  public long writes() {
    return writes.get();
  }

  /** Compare-and-set conflicts met so far. */
  public long conflicts() {
    return conflicts.get();
  }

  /** Queues a release-type change to {@code pool}; see {@link #submit(String, boolean, Change)}. */
  public <T> CompletableFuture<T> submit(String pool, Change<T> change) {
    return submit(pool, false, change);
  }

  /**
   * Queues a change to {@code pool}; the future completes when it is durable (or failed). {@code
   * allocation} only labels conflict metrics.
   */
  public <T> CompletableFuture<T> submit(String pool, boolean allocation, Change<T> change) {
    Pending<T> p = new Pending<>(change, allocation, new CompletableFuture<>());
    Lane lane = lanes.computeIfAbsent(pool, Lane::new);
    boolean drain;
    synchronized (lane) {
      lane.queue.add(p);
      drain = !lane.draining;
      lane.draining = true;
    }
    if (drain) {
      lane.drain();
    }
    return p.future;
  }

  private record Pending<T>(Change<T> change, boolean allocation, CompletableFuture<T> future) {
    void complete(Object result) {
      @SuppressWarnings("unchecked")
      T t = (T) result;
      future.complete(t);
    }
  }

  private final class Lane {
    final String pool;
    final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    boolean draining;

    Lane(String pool) {
      this.pool = pool;
    }

    /** Runs on the submitting thread that found the lane idle, until the lane is empty. */
    void drain() {
      while (true) {
        List<Pending<?>> batch;
        synchronized (this) {
          if (queue.isEmpty()) {
            draining = false;
            return;
          }
          batch = new ArrayList<>(queue);
          queue.clear();
        }
        commit(batch);
      }
    }

    private void commit(List<Pending<?>> batch) {
      for (int attempt = 1; ; attempt++) {
        Object[] results = new Object[batch.size()];
        RuntimeException[] failures = new RuntimeException[batch.size()];
        PoolStore.Snapshot snap;
        try {
          snap = attempt == 1 ? store.readCached(pool) : store.read(pool);
        } catch (RuntimeException e) {
          failAll(
              batch,
              new TransientException("cannot read IPPool " + pool + ": " + e.getMessage(), e));
          return;
        }
        if (snap == null) {
          failAll(batch, new InvalidInputException("IPPool " + pool + " does not exist"));
          return;
        }
        PoolState start =
            new PoolState(pool, snap.space(), snap.records(), reservedOf.apply(snap), maxRecords);
        PoolState state = start;
        for (int i = 0; i < batch.size(); i++) {
          try {
            Applied<?> a = batch.get(i).change().apply(state);
            results[i] = a.result();
            state = a.next();
          } catch (RuntimeException e) {
            failures[i] = e;
          }
        }
        boolean unchanged = state.records().equals(start.records());
        if (attempt == 1 && (unchanged || Arrays.stream(failures).anyMatch(Objects::nonNull))) {
          // the first attempt read the watch cache, which may lag behind the pool: a change that
          // finds nothing to do (a rollback of a record the cache has not seen yet) or fails (an
          // exhausted pool the cache still shows full) is decided again on a fresh read; only a
          // write is protected by the resourceVersion
          continue;
        }
        if (unchanged) {
          finish(batch, results, failures);
          return;
        }
        try {
          store.writeRecords(pool, snap.resourceVersion(), state.records());
          writes.incrementAndGet();
          finish(batch, results, failures);
          return;
        } catch (PoolStore.Conflict c) {
          conflicts.incrementAndGet();
          metrics.poolUpdateConflict(batch.stream().anyMatch(Pending::allocation));
          if (attempt >= maxAttempts) {
            failAll(
                batch,
                new TransientException(
                    "exhaust all retries ("
                        + maxAttempts
                        + " times), failed to update IPPool "
                        + pool
                        + ": write conflicts with other nodes"));
            return;
          }
          backoff(attempt);
        } catch (RuntimeException e) {
          failAll(
              batch,
              new TransientException("cannot write IPPool " + pool + ": " + e.getMessage(), e));
          return;
        }
      }
    }
  }

  private static void finish(
      List<Pending<?>> batch, Object[] results, RuntimeException[] failures) {
    for (int i = 0; i < batch.size(); i++) {
      if (failures[i] != null) {
        batch.get(i).future().completeExceptionally(failures[i]);
      } else {
        batch.get(i).complete(results[i]);
      }
    }
  }

  private static void failAll(List<Pending<?>> batch, RuntimeException e) {
    batch.forEach(p -> p.future().completeExceptionally(e));
  }

  /** 10 ms × 1.5^(n-1), ±50 % jitter, capped at 500 ms: spreads retrying nodes apart. */
  private static void backoff(int attempt) {
    double base = Math.min(500, 10 * Math.pow(1.5, attempt - 1));
    long ms = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted while retrying a pool write");
    }
  }
}
