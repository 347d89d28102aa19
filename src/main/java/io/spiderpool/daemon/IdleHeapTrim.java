// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Gives a burst's old generation back once the daemon is quiet. Serial GC grows its old generation
 * when a burst (the watch caches' first lists, a thousand ADDs) promotes more than fits, and only
 * shrinks it after a full collection, which an idle daemon never has: what the burst promoted and
 * then dropped stays committed, and resident, for good. This runs one full collection ({@link
 * System#gc()}) when the old generation has grown by {@link Policy#growth} since the last one and
 * then not changed for {@link Policy#quietChecks} checks in a row; with {@code
 * -XX:-ShrinkHeapInSteps} and {@code -XX:MaxHeapFreeRatio} the JVM then uncommits the free part. At
 * most one collection per growth, none while the old generation keeps growing, none at all under
 * collectors without a "Tenured Gen" pool (they size their heap themselves).
 */
public final class IdleHeapTrim implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(IdleHeapTrim.class.getName());
  private static final String SERIAL_OLD = "Tenured Gen";

  private final ScheduledExecutorService timer;

  private IdleHeapTrim(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Starts checking every {@code period} when this JVM runs Serial GC; otherwise returns an
   * instance that does nothing.
   */
  public static IdleHeapTrim start(Duration period, Policy policy) {
    Optional<MemoryPoolMXBean> old =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && SERIAL_OLD.equals(p.getName()))
            .findFirst();
    if (old.isEmpty()) {
      return new IdleHeapTrim(null);
    }
    MemoryPoolMXBean pool = old.get();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spiderpool-idle-heap-trim");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          long committed = pool.getUsage().getCommitted();
          if (policy.observe(committed)) {
            long started = System.nanoTime();
            System.gc();
            long after = pool.getUsage().getCommitted();
            policy.collected(after);
            LOG.fine(
                () ->
                    String.format(
                        "idle: old generation %d -> %d KiB committed after a full GC of %d ms",
                        committed / 1024, after / 1024, (System.nanoTime() - started) / 1_000_000));
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return new IdleHeapTrim(timer);
  }

  /** Whether a timer runs (Serial GC). */
  public boolean active() {
    return timer != null;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * When to collect, from the old generation's committed size seen at each check: after it has
   * grown by at least {@code growth} bytes over what the last collection left (zero before the
   * first, so the first quiet moment after start-up collects once), and then stayed the same for
   * {@code quietChecks} checks. Not thread-safe: one timer thread calls it.
   */
  public static final class Policy {
    private final long growth;
    private final int quietChecks;
    private long baseline;
    private long last = -1;
    private int unchanged;

    public Policy(long growth, int quietChecks) {
      if (growth < 0 || quietChecks < 1) {
        throw new IllegalArgumentException("growth >= 0 and quietChecks >= 1");
      }
      this.growth = growth;
      this.quietChecks = quietChecks;
    }

    /** Records one check; true when a full collection is due now. */
    public boolean observe(long committed) {
      if (committed != last) {
        last = committed;
        unchanged = 0;
        return false;
      }
      unchanged++;
      return unchanged >= quietChecks && committed - baseline >= growth;
    }

    /** Records what the collection left committed: the next one waits for growth beyond it. */
    public void collected(long committed) {
      baseline = committed;
      last = committed;
      unchanged = 0;
    }
  }
}
