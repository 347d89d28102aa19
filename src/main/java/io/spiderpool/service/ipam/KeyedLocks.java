// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per key, made on first use and dropped when its last user leaves, so unrelated keys
 * never wait for each other and the map holds only keys in use.
 */
public final class KeyedLocks {
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** Runs {@code work} holding the lock of {@code key}. */
  public <T> T with(String key, Supplier<T> work) {
    Entry e =
        entries.compute(
            key,
            (k, old) -> {
              Entry x = old == null ? new Entry() : old;
              x.users++;
              return x;
            });
    e.lock.lock();
    try {
      return work.get();
    } finally {
      e.lock.unlock();
      entries.compute(key, (k, x) -> --x.users == 0 ? null : x);
    }
  }

  /** Keys someone holds or waits for (for tests). */
  int size() {
    return entries.size();
  }
}
