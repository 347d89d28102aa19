// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

/**
 * Lease calls that hang while the link is cut, as with a partitioned node: a call made while cut
 * blocks until {@link #restore()} (or its thread is interrupted), then goes through.
 */
public final class CuttableLeaseApi implements LeaseApi {
  private final LeaseApi real;
  private boolean cut;

  public CuttableLeaseApi(LeaseApi real) {
    this.real = real;
  }

  /** From now on every call hangs. */
  public synchronized void cut() {
    cut = true;
  }

  /** Hanging calls go through, and new ones do not hang. */
  public synchronized void restore() {
    cut = false;
    notifyAll();
  }

  private synchronized void gate() {
    while (cut) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while cut off");
      }
    }
  }

  @Override
  public LeaseRecord get() {
    gate();
    return real.get();
  }

  @Override
  public LeaseRecord create(LeaseRecord r) {
    gate();
    return real.create(r);
  }

  @Override
  public LeaseRecord update(LeaseRecord r) {
    gate();
    return real.update(r);
  }
}
