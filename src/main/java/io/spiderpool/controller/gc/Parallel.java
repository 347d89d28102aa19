// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a GC pass's independent API requests (the fresh reads that confirm releases; the endpoint
 * clean-up has its own threads, {@link EndpointJanitor}) a few at a time instead of one after
 * another, on a small shared set of daemon threads. Every call returns only when all its tasks have
 * ended, so a reconcile never leaves a request of its own running behind it (the term's fence still
 * guards each write, docs/controller.md).
 */
final class Parallel {
  /** Requests in flight at once, over all pools the role reconciles. */
  static final int WIDTH = 8;

  private static final ThreadPoolExecutor POOL = daemonThreads("spiderpool-gc-io-", WIDTH);

  private Parallel() {}

  /**
   * Up to {@code width} daemon threads named {@code prefix} and a number, with an unbounded queue;
   * idle threads end after 30 s, so none are kept while nothing is collected.
   */
  static ThreadPoolExecutor daemonThreads(String prefix, int width) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            width,
            width,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * {@code f} of every value, keyed as {@code in}, in its order. A single value is computed on the
   * calling thread. When tasks fail, the first failure (in {@code in}'s order) is thrown once all
   * have ended.
   */
  static <K, V, R> Map<K, R> map(Map<K, V> in, Function<V, R> f) {
    Map<K, R> out = new LinkedHashMap<>();
    if (in.size() <= 1) {
      in.forEach((k, v) -> out.put(k, f.apply(v)));
      return out;
    }
    List<K> keys = new ArrayList<>(in.keySet());
    List<CompletableFuture<R>> fs = new ArrayList<>();
    for (K k : keys) {
      V v = in.get(k);
      fs.add(CompletableFuture.supplyAsync(() -> f.apply(v), POOL));
    }
    RuntimeException first = null;
    boolean interrupted = false;
    for (int i = 0; i < fs.size(); i++) {
      while (true) {
        try {
          out.put(keys.get(i), fs.get(i).get());
          break;
        } catch (InterruptedException e) {
          interrupted = true; // keep waiting: no task of this call may outlive it
        } catch (ExecutionException e) {
          if (first == null) {
            first = unwrap(e.getCause());
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  private static RuntimeException unwrap(Throwable t) {
    if (t instanceof CompletionException c && c.getCause() != null) {
      t = c.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
