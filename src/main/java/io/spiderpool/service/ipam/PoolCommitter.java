// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.RangeSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Group commit of pool changes (docs/architecture.md, "Contention"). Requests for one pool queue in
 * a lane; one thread at a time drains the lane, applies every queued change to one view of the pool
 * and writes the result once, guarded by that view's {@code resourceVersion}. A burst of N
 * allocations on a node thus costs about one status write per round trip instead of N, and the
 * node's own requests never conflict with each other — only other nodes' writes do.
 *
 * <p>Under contention a request is retried until its own deadline (the CNI call's budget), never
 * for a fixed number of attempts: with N nodes writing one pool each attempt wins with probability
 * about 1/N, so any fixed count fails ADDs on a large enough cluster while the pool still has room.
 * What keeps the cost per allocation flat instead: the view after the lane's own successful write
 * is the object that write returned (no re-read), a lost compare-and-set waits for the watch event
 * of the write that won (no blind GET), every attempt first waits a random number of idle slots
 * from a window that lost writes widen and won writes narrow, kept across batches ({@link
 * ContentionWindow}), and requests that arrive meanwhile join the batch, so the longer a node waits
 * the more one write carries.
 */
public final class PoolCommitter {
  /** A change to one pool: computes a result and the next state from the current one. */
  public interface Change<T> {
    Applied<T> apply(PoolState state);
  }

  /** What a change produced. */
  public record Applied<T>(T result, PoolState next) {}

  /** Longest wait for the watch cache to show the write that beat this one, before a GET. */
  static final Duration CONFLICT_WAIT = Duration.ofSeconds(1);

  private final PoolStore store;
  private final Function<PoolStore.Snapshot, RangeSet> reservedOf;
  private final int maxRecords;
  private final long budgetNanos;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final IpamMetrics metrics;

  /**
   * @param budget how long a request submitted without its own deadline may keep trying
   */
  public PoolCommitter(
      PoolStore store,
      Function<PoolStore.Snapshot, RangeSet> reservedOf,
      int maxRecords,
      Duration budget,
      IpamMetrics metrics) {
    this.store = store;
    this.reservedOf = reservedOf;
    this.maxRecords = maxRecords;
    this.budgetNanos = budget.toNanos();
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

  /** The deadline ({@link System#nanoTime()}) of a call that starts now and has the full budget. */
  public long deadlineFromNow() {
    return System.nanoTime() + budgetNanos;
  }

  /** Queues a release-type change to {@code pool}; see {@link #submit(String, boolean, Change)}. */
  public <T> CompletableFuture<T> submit(String pool, Change<T> change) {
    return submit(pool, false, change, deadlineFromNow());
  }

  /** Queues a change with the full budget from now. */
  public <T> CompletableFuture<T> submit(String pool, boolean allocation, Change<T> change) {
    return submit(pool, allocation, change, deadlineFromNow());
  }

  /**
   * Queues a change to {@code pool}; the future completes when it is durable, or failed: the pool
   * is missing, the change itself failed (an exhausted pool), the API server could not be reached,
   * or {@code deadlineNanos} ({@link System#nanoTime()}) passed while other nodes kept winning the
   * pool. {@code allocation} only labels conflict metrics.
   */
  public <T> CompletableFuture<T> submit(
      String pool, boolean allocation, Change<T> change, long deadlineNanos) {
    Pending<T> p = new Pending<>(change, allocation, deadlineNanos, new CompletableFuture<>());
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

  private record Pending<T>(
      Change<T> change, boolean allocation, long deadline, CompletableFuture<T> future) {
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

    /**
     * The pool as this lane's last write left it and the version that write replaced; only the
     * draining thread touches these, and draining is handed over under the lane's lock.
     */
    PoolStore.Snapshot written;

    String writtenOver;

    /** How contended the pool has been for this lane, across batches. */
    final ContentionWindow contention = new ContentionWindow();

    Lane(String pool) {
      this.pool = pool;
    }

    /** Runs on the submitting thread that found the lane idle, until the lane is empty. */
    void drain() {
      while (true) {
        List<Pending<?>> batch = new ArrayList<>();
        if (!takeQueued(batch, true)) {
          return;
        }
        commit(batch);
      }
    }

    /** Moves queued requests into {@code batch}; false (lane released) when there were none. */
    private boolean takeQueued(List<Pending<?>> batch, boolean release) {
      synchronized (this) {
        if (queue.isEmpty()) {
          if (release) {
            draining = false;
          }
          return false;
        }
        batch.addAll(queue);
        queue.clear();
        return true;
      }
    }

    /**
     * Waits the lane's turn ({@link ContentionWindow}), then adds the requests queued meanwhile to
     * {@code batch}; false (and the batch failed) when interrupted.
     */
    private boolean awaitTurn(List<Pending<?>> batch) {
      int slots = contention.draw(ThreadLocalRandom.current());
      if (slots > 0) {
        String own = written == null ? null : written.resourceVersion();
        if (!contention.await(
            slots,
            () -> store.cachedVersion(pool),
            own,
            earliestDeadline(batch),
            ContentionWindow.THREAD_SLEEP)) {
          failAll(batch, new TransientException("interrupted while waiting to write a pool"));
          return false;
        }
      }
      takeQueued(batch, false);
      return true;
    }

    /** The cached view, unless it is older than this lane's own last write. */
    private PoolStore.Snapshot latest() {
      PoolStore.Snapshot cached = store.readCached(pool);
      PoolStore.Snapshot own = written;
      if (own != null
          && cached != null
          && (cached.resourceVersion().equals(writtenOver)
              || PoolStore.olderThan(cached.resourceVersion(), own.resourceVersion()))) {
        return own;
      }
      return cached;
    }

    private void commit(List<Pending<?>> batch) {
      int attempts = 0;
      int lost = 0;
      String beaten = null; // the version a lost write was computed from
      boolean fresh = false; // the next view must be a GET
      if (!awaitTurn(batch)) {
        return;
      }
      while (true) {
        attempts++;
        PoolStore.Snapshot snap;
        try {
          snap =
              fresh
                  ? store.read(pool)
                  : beaten != null ? store.awaitNewer(pool, beaten, CONFLICT_WAIT) : latest();
        } catch (RuntimeException e) {
          failAll(batch, unreachable("read", attempts, lost, e));
          return;
        }
        if (snap == null) {
          written = null;
          failAll(batch, new InvalidInputException("IPPool " + pool + " does not exist"));
          return;
        }
        PoolState start =
            new PoolState(pool, snap.space(), snap.records(), reservedOf.apply(snap), maxRecords);
        PoolState state = start;
        Object[] results = new Object[batch.size()];
        RuntimeException[] failures = new RuntimeException[batch.size()];
        boolean failed = false;
        for (int i = 0; i < batch.size(); i++) {
          try {
            Applied<?> a = batch.get(i).change().apply(state);
            results[i] = a.result();
            state = a.next();
          } catch (RuntimeException e) {
            failures[i] = e;
            failed = true;
          }
        }
        boolean unchanged = state.records().equals(start.records());
        if (!fresh && (unchanged || failed)) {
          // the view came from a watch cache (or this lane's own last write), which may lag
          // behind the pool: a change that finds nothing to do (a rollback of a record the cache
          // has not seen yet) or fails (an exhausted pool the cache still shows full) is decided
          // again on a fresh read; only a write is protected by the resourceVersion
          fresh = true;
          beaten = null;
          continue;
        }
        if (unchanged) {
          finish(batch, results, failures);
          return;
        }
        try {
          long sent = System.nanoTime();
          String version = store.writeRecords(pool, snap.resourceVersion(), state.records());
          contention.won(System.nanoTime() - sent);
          writes.incrementAndGet();
          written =
              new PoolStore.Snapshot(
                  pool, version, snap.space(), snap.routes(), state.records(), snap.terminating());
          writtenOver = snap.resourceVersion();
          finish(batch, results, failures);
          return;
        } catch (PoolStore.Conflict c) {
          conflicts.incrementAndGet();
          lost++;
          contention.lost();
          metrics.poolUpdateConflict(batch.stream().anyMatch(Pending::allocation));
          beaten = snap.resourceVersion();
          fresh = false;
          expire(batch, attempts, lost);
          if (batch.isEmpty()) {
            return;
          }
          if (!awaitTurn(batch)) {
            return;
          }
          expire(batch, attempts, lost);
          if (batch.isEmpty()) {
            return;
          }
        } catch (RuntimeException e) {
          failAll(batch, unreachable("write", attempts, lost, e));
          return;
        }
      }
    }

    /** Fails and removes the requests whose deadline has passed. */
    private void expire(List<Pending<?>> batch, int attempts, int lost) {
      long now = System.nanoTime();
      batch.removeIf(
          p -> {
            if (now - p.deadline() < 0) {
              return false;
            }
            p.future()
                .completeExceptionally(
                    new TransientException(
                        "deadline passed: IPPool "
                            + pool
                            + " could not be updated before the call's deadline; "
                            + attempts
                            + " attempts, "
                            + lost
                            + " lost to concurrent writes by other nodes (the pool may still have"
                            + " free addresses; a retry will get one)"));
            return true;
          });
    }

    private TransientException unreachable(String what, int attempts, int lost, Exception e) {
      return new TransientException(
          "cannot "
              + what
              + " IPPool "
              + pool
              + " (attempt "
              + attempts
              + ", "
              + lost
              + " lost to concurrent writes): "
              + e.getMessage(),
          e);
    }
  }

  private static long earliestDeadline(List<Pending<?>> batch) {
    long d = Long.MAX_VALUE;
    for (Pending<?> p : batch) {
      if (d == Long.MAX_VALUE || p.deadline() - d < 0) {
        d = p.deadline();
      }
    }
    return d;
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
}
