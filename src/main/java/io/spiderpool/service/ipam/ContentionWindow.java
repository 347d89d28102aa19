// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A lane's estimate of how contended its pool is, kept across batches (docs/architecture.md,
 * "Contention"). Before every write attempt — the first of a batch as well as a retry — the lane
 * waits a random number of idle slots drawn from {@code [0, window]}; a slot is one round trip of
 * the lane's own writes plus the time its writes take to reach its watch cache, and a slot in which
 * the watch cache shows another node's write does not count (the countdown freezes, as it does in a
 * radio's carrier-sense backoff). A lost write doubles the window, a won one shrinks it by a
 * quarter, so the window settles where a node loses about 0.4 writes per write it wins whatever the
 * number of nodes, instead of starting every batch from zero and colliding with every other node
 * that just saw the same winner. Requests that arrive while the lane waits join its batch, so the
 * same wait that spreads the nodes apart makes each write carry more allocations.
 *
 * <p>Only the draining thread of a lane touches an instance; the class decides when to try, never
 * what is written — every write stays a compare-and-set on the version it was computed from.
 */
final class ContentionWindow {
  /** The largest window, in slots. */
  static final int MAX_WINDOW = 63;

  /**
   * The slot's bounds and first value. A slot is the lane's own write round trip plus how long its
   * own writes take to show in its watch cache, both measured: another node's write is invisible
   * for about that long, so two attempts one slot apart no longer collide.
   */
  static final long MIN_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  static final long MAX_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
  static final long FIRST_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * While the lane's own last write is not in its cache yet, a slot is slept in steps this long.
   */
  static final long LAG_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

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
  private long roundTripNanos = FIRST_SLOT_NANOS;
  private long lagNanos;

  /** When the last won write returned, while its event has not been seen in the cache yet. */
  private long wroteAt;

  private boolean lagOpen;

  int window() {
    return window;
  }

  long slotNanos() {
    return Math.max(MIN_SLOT_NANOS, Math.min(MAX_SLOT_NANOS, roundTripNanos + lagNanos));
  }

  long lagNanos() {
    return lagNanos;
  }

  /** A write lost its compare-and-set: wait about twice as long before the next attempts. */
  void lost() {
    window = Math.min(MAX_WINDOW, 2 * window + 1);
  }

  /** A write went through in {@code roundTripNanos}: shrink the window, learn the slot length. */
  void won(long roundTripNanos) {
    window -= (window + 3) / 4;
    long rt = Math.max(MIN_SLOT_NANOS, Math.min(MAX_SLOT_NANOS, roundTripNanos));
    this.roundTripNanos += (rt - this.roundTripNanos) / 4;
    wroteAt = System.nanoTime();
    lagOpen = true;
  }

  /** The lane's last write showed in its watch cache {@code lag} after it returned. */
  void lagged(long lag) {
    long l = Math.max(0, Math.min(MAX_SLOT_NANOS, lag));
    lagNanos += (l - lagNanos) / 4;
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
    if (own != null && own.equals(seen)) {
      lagOpen = false; // it arrived at some unknown time before: no sample
    }
    int frozen = 0;
    while (slots > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      long slot = Math.min(slotNanos(), left);
      String now;
      if (lagOpen && own != null) {
        // in steps, to time the arrival of the lane's own write finer than a slot
        long slotEnd = System.nanoTime() + slot;
        while (true) {
          if (!sleeper.sleep(Math.min(LAG_STEP_NANOS, slot))) {
            return false;
          }
          now = version.get();
          if (lagOpen && own.equals(now)) {
            lagOpen = false;
            lagged(System.nanoTime() - wroteAt);
          }
          slot = slotEnd - System.nanoTime();
          if (slot <= 0) {
            break;
          }
        }
      } else {
        if (!sleeper.sleep(slot)) {
          return false;
        }
        now = version.get();
      }
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
