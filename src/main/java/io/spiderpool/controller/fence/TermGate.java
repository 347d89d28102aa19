// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.fence;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The door every write of one leadership term goes through. A write runs only while the term is
 * open and the fence (this process still holds the Lease) says yes, checked immediately before the
 * write; {@link #close()} shuts the door and returns once the writes already inside have ended, so
 * after it no write of this term can reach the API server.
 */
public final class TermGate {
  private final BooleanSupplier fence;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean open = true;

  public TermGate(BooleanSupplier fence) {
    this.fence = fence;
  }

  /** Whether writes may happen now (the term is open and the Lease is held). */
  public boolean isOpen() {
    return open && fence.getAsBoolean();
  }

  /**
   * Runs {@code write} if the term is open and the fence holds.
   *
   * @throws Fenced when it may not run (nothing was written)
   */
  public <T> T write(Supplier<T> write) {
    if (!open) {
      throw new Fenced(); // do not queue behind close()
    }
    lock.readLock().lock();
    try {
      if (!open || !fence.getAsBoolean()) {
        throw new Fenced();
      }
      return write.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ends the term: refuses new writes, then waits for the running ones. Idempotent. */
  public void close() {
    open = false;
    lock.writeLock().lock();
    lock.writeLock().unlock();
  }

  /** A write was refused: this process no longer (or not yet) holds the controller role. */
  public static final class Fenced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Fenced() {
      super("not the controller any more: write skipped", null, false, false);
    }
  }
}
