// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A lane's estimate of how contended its pool is, kept across batches (docs/architecture.md,
 * "Contention"). Before every write attempt — the first of a batch as well as a retry — the lane
 * waits a random number of idle slots drawn from {@code [0, window]}; a slot is about one round
 * trip of the lane's own writes, and a slot in which the watch cache shows another node's write
 * does not count (the countdown freezes, as it does in a radio's carrier-sense backoff). A lost
 * write doubles the window, a won one shrinks it by a quarter, so the window settles where a node
 * loses about one write in three whatever the number of nodes, instead of starting every batch from
 * zero and colliding with every other node that just saw the same winner. Requests that arrive
 * while the lane waits join its batch, so the same wait that spreads the nodes apart makes each
 * write carry more allocations.
 *
 * <p>Only the draining thread of a lane touches an instance; the class decides when to try, never
 * what is written — every write stays a compare-and-set on the version it was computed from.
 */
final class ContentionWindow {
  /** The largest window, in slots. */
  static final int MAX_WINDOW = 63;

  /** The slot's bounds and first value: the lane's own write round trip, measured. */
  static final long MIN_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  static final long MAX_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long FIRST_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * A countdown ends after this many slots even when every one of them saw another node's write, so
   * a node is never starved by neighbours that write without pause.
   */
  static final int MAX_FROZEN_SLOTS = 2 * MAX_WINDOW;

  /** Sleeps; false when interrupted (the flag set again). */
  interface Sleeper {
    boolean sleep(long nanos);
  }

  static final Sleeper THREAD_SLEEP =
      nanos -> {
        try {
          TimeUnit.NANOSECONDS.sleep(nanos);
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      };

  private int window;
  private long slotNanos = FIRST_SLOT_NANOS;

  int window() {
    return window;
  }

  long slotNanos() {
    return slotNanos;
  }

  /** A write lost its compare-and-set: wait about twice as long before the next attempts. */
  void lost() {
    window = Math.min(MAX_WINDOW, 2 * window + 1);
  }

  /** A write went through in {@code roundTripNanos}: shrink the window, learn the slot length. */
  void won(long roundTripNanos) {
    window -= (window + 3) / 4;
    long rt = Math.max(MIN_SLOT_NANOS, Math.min(MAX_SLOT_NANOS, roundTripNanos));
    slotNanos += (rt - slotNanos) / 4;
  }

  /** How many idle slots the next attempt waits. */
  int draw(RandomGenerator random) {
    return window == 0 ? 0 : random.nextInt(window + 1);
  }

  /**
   * Waits {@code slots} idle slots, never past {@code deadline} ({@link System#nanoTime()}). {@code
   * version} reads the pool's version as the watch cache shows it now (cheap, no parsing); a slot
   * after which it changed to anything but {@code own} (this lane's last write arriving late) is
   * not counted. Returns false when interrupted.
   */
  boolean await(int slots, Supplier<String> version, String own, long deadline, Sleeper sleeper) {
    String seen = version.get();
    int frozen = 0;
    while (slots > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      if (!sleeper.sleep(Math.min(slotNanos, left))) {
        return false;
      }
      String now = version.get();
      if (Objects.equals(now, seen) || Objects.equals(now, own) || frozen >= MAX_FROZEN_SLOTS) {
        slots--;
      } else {
        frozen++;
      }
      seen = now;
    }
    return true;
  }
}
