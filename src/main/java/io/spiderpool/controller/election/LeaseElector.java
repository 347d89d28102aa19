// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Campaigns for the controller role on one Lease, as client-go's leader election does, and runs a
 * {@link Role} while it holds it.
 *
 * <p>Safety rests on time measured on this process's monotonic clock. A renewal counts from the
 * moment its request was <em>sent</em>; {@link #fence()} is true only while the last counted
 * renewal is younger than the renew deadline. Another candidate takes the Lease only after it has
 * seen the same record unchanged for the lease duration, counted from when it read it, which is
 * after that renewal landed. Since the renew deadline is shorter than the lease duration, this
 * process's fence has closed before anyone else can start: every write of the role checks the
 * fence, so two holders never write at once even when this process is paused or cut off and learns
 * of its loss late. The role is also told to stop as soon as the deadline passes.
 *
 * <p>Role start and stop run on their own thread, in order, so a slow start (informers syncing)
 * never delays a renewal; a new term starts only after the previous one has stopped.
 */
public final class LeaseElector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LeaseElector.class.getName());

  /** How often a daemon that may not campaign looks again (node labels, an abandoned Lease). */
  static final Duration INELIGIBLE_RECHECK = Duration.ofSeconds(60);

  private static final LeaseRecord ABSENT = new LeaseRecord("", 0, null, null, 0, null);

  /** The work done while holding the role. */
  public interface Role {
    /** Begins a term; may take a while. */
    void start();

    /** Ends the term; returns when the role's work has stopped. */
    void stop();
  }

  /** Whether this process may campaign now; rechecked every {@link #INELIGIBLE_RECHECK}. */
  public interface Eligibility {
    boolean eligible();

    Eligibility ALWAYS = () -> true;
  }

  private final LeaseApi api;
  private final ElectionSettings settings;
  private final Role role;
  private final Eligibility eligibility;
  private final Clock wall;
  private final LongSupplier nanos;
  private final ExecutorService requests;
  private final ExecutorService roleThread;
  private final Object lock = new Object();
  private Thread loop;
  private volatile boolean running;
  private volatile boolean leading;

  /** Monotonic time the last counted renewal was sent; valid while {@link #leading}. */
  private volatile long renewedAt;

  private LeaseRecord observed;
  private long observedAt;
  private volatile String knownLeader = "";

  public LeaseElector(LeaseApi api, ElectionSettings settings, Role role, Eligibility eligibility) {
    this(api, settings, role, eligibility, Clock.systemUTC(), System::nanoTime);
  }

  LeaseElector(
      LeaseApi api,
      ElectionSettings settings,
      Role role,
      Eligibility eligibility,
      Clock wall,
      LongSupplier nanos) {
    this.api = api;
    this.settings = settings;
    this.role = role;
    this.eligibility = eligibility;
    this.wall = wall;
    this.nanos = nanos;
    this.requests =
        Executors.newSingleThreadExecutor(r -> daemonThread(r, "spiderpool-lease-request"));
    this.roleThread =
        Executors.newSingleThreadExecutor(r -> daemonThread(r, "spiderpool-controller-role"));
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts campaigning in the background. */
  public LeaseElector start() {
    synchronized (lock) {
      if (loop != null) {
        return this;
      }
      running = true;
      loop = new Thread(this::campaign, "spiderpool-election");
      loop.setDaemon(true);
      loop.start();
    }
    LOG.info(
        "campaigning for the controller role on Lease "
            + settings.leaseNamespace()
            + "/"
            + settings.leaseName()
            + " as "
            + settings.identity());
    return this;
  }

  /**
   * True while this process holds the role and may still write: its last renewal is younger than
   * the renew deadline. Check it immediately before each write of the role.
   */
  public boolean fence() {
    return leading && nanos.getAsLong() - renewedAt < settings.renewDeadline().toNanos();
  }

  /** Whether this process currently holds the role (its term may be ending). */
  public boolean leading() {
    return leading;
  }

  /** The holder named by the Lease when last read, "" when none. */
  public String knownLeader() {
    return knownLeader;
  }

  private void campaign() {
    while (running) {
      try {
        if (!leading && !eligibility.eligible() && !abandoned()) {
          sleep(INELIGIBLE_RECHECK);
          continue;
        }
        attempt();
        sleep(leading ? settings.retryPeriod() : jitter(settings.retryPeriod()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "election round failed: " + e.getMessage(), e);
        try {
          sleep(settings.retryPeriod());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One acquire-or-renew round; a holder past its deadline gives the role up. */
  private void attempt() throws InterruptedException {
    long sent = nanos.getAsLong();
    boolean ok;
    if (leading) {
      long budget = settings.renewDeadline().toNanos() - (sent - renewedAt);
      ok = budget > 0 && within(budget);
    } else {
      ok = within(settings.renewDeadline().toNanos());
    }
    if (ok) {
      renewedAt = sent;
      if (!leading) {
        begin();
      }
    } else if (leading && nanos.getAsLong() - renewedAt >= settings.renewDeadline().toNanos()) {
      end("could not renew the Lease within " + settings.renewDeadline().toMillis() + " ms");
      sleep(settings.retryGap());
    }
  }

  /**
   * Runs {@link #tryAcquireOrRenew} with a time budget; a request still hanging counts as failed.
   */
  private boolean within(long budgetNanos) throws InterruptedException {
    Future<Boolean> f = requests.submit(this::tryAcquireOrRenew);
    try {
      return f.get(budgetNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return false;
    } catch (ExecutionException e) {
      LOG.fine("Lease request failed: " + e.getCause());
      return false;
    }
  }

  /**
   * client-go's tryAcquireOrRenew: take a free or expired Lease, renew our own, else report false.
   */
  boolean tryAcquireOrRenew() {
    Instant now = wall.instant();
    int seconds = (int) Math.max(1, settings.leaseDuration().toSeconds());
    LeaseRecord current = api.get();
    if (current == null) {
      try {
        LeaseRecord created =
            api.create(new LeaseRecord(settings.identity(), seconds, now, now, 0, null));
        observe(created);
        return true;
      } catch (LeaseApi.Conflict e) {
        return false;
      }
    }
    observe(current);
    boolean ours = settings.identity().equals(current.holder());
    if (!ours && !current.holder().isEmpty() && !expired(current)) {
      return false;
    }
    LeaseRecord next =
        ours
            ? new LeaseRecord(
                current.holder(),
                seconds,
                current.acquireTime(),
                now,
                current.transitions(),
                current.resourceVersion())
            : new LeaseRecord(
                settings.identity(),
                seconds,
                now,
                now,
                current.transitions() + 1,
                current.resourceVersion());
    try {
      observe(api.update(next));
      return true;
    } catch (LeaseApi.Conflict e) {
      return false;
    }
  }

  /** Notes when the Lease last changed (any write bumps its version), on our own clock. */
  private void observe(LeaseRecord r) {
    synchronized (lock) {
      if (observed == null || !observed.equals(r)) {
        observed = r;
        observedAt = nanos.getAsLong();
      }
      knownLeader = r.holder();
    }
  }

  /** Whether the holder has been silent for its lease duration since we first saw this record. */
  private boolean expired(LeaseRecord r) {
    synchronized (lock) {
      long duration = TimeUnit.SECONDS.toNanos(Math.max(1, r.leaseDurationSeconds()));
      return nanos.getAsLong() - observedAt >= duration;
    }
  }

  /**
   * For a daemon that may not campaign: whether the Lease has been absent or released for a recheck
   * period, or its holder silent for its duration plus a recheck period, so no eligible daemon is
   * serving the role (e.g. the selected nodes run no daemon). Then it campaigns as a fallback.
   */
  private boolean abandoned() {
    LeaseRecord r = api.get();
    LeaseRecord seen = r != null ? r : ABSENT;
    observe(seen);
    long limit =
        INELIGIBLE_RECHECK.toNanos() * 9 / 10
            + (seen.holder().isEmpty()
                ? 0
                : TimeUnit.SECONDS.toNanos(Math.max(1, seen.leaseDurationSeconds())));
    long silent;
    synchronized (lock) {
      silent = nanos.getAsLong() - observedAt;
    }
    if (silent < limit) {
      return false;
    }
    LOG.warning(
        "no daemon on a node matching "
            + ElectionSettings.ENV_NODE_SELECTOR
            + " holds the controller role (Lease "
            + (r == null ? "absent" : "held by '" + r.holder() + "' and silent")
            + "); campaigning as a fallback");
    return true;
  }

  private void begin() {
    leading = true;
    LOG.info(
        settings.identity()
            + " holds the controller role (Lease "
            + settings.leaseNamespace()
            + "/"
            + settings.leaseName()
            + ")");
    roleThread.execute(
        () -> {
          try {
            role.start();
          } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the controller role failed to start; giving the Lease up", e);
            leading = false;
          }
        });
  }

  /** Leaves the term: the fence closes at once, the role is told to stop. */
  private void end(String why) {
    leading = false;
    LOG.warning(settings.identity() + " gave up the controller role: " + why);
    roleThread.execute(this::stopRoleQuietly);
  }

  private void stopRoleQuietly() {
    try {
      role.stop();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stopping the controller role failed", e);
    }
  }

  /**
   * Stops campaigning; a holder stops its role first and then releases the Lease so another daemon
   * takes over after one retry period instead of a whole lease duration.
   */
  @Override
  public synchronized void close() {
    Thread t;
    synchronized (lock) {
      running = false;
      t = loop;
      loop = null;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(settings.retryPeriod().toMillis() + settings.renewDeadline().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean wasLeading = leading;
    leading = false;
    if (wasLeading) {
      roleThread.execute(this::stopRoleQuietly);
    }
    roleThread.shutdown();
    try {
      roleThread.awaitTermination(settings.leaseDuration().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (wasLeading) {
      release();
    }
    requests.shutdownNow();
  }

  private void release() {
    try {
      LeaseRecord r = api.get();
      if (r != null && settings.identity().equals(r.holder())) {
        Instant now = wall.instant();
        api.update(
            new LeaseRecord("", 1, r.acquireTime(), now, r.transitions(), r.resourceVersion()));
        LOG.info("released the controller role's Lease");
      }
    } catch (RuntimeException e) {
      LOG.warning(
          "could not release the Lease (another daemon takes over when it expires): "
              + e.getMessage());
    }
  }

  private static Duration jitter(Duration base) {
    long ms = base.toMillis();
    return Duration.ofMillis(ms + ThreadLocalRandom.current().nextLong(Math.max(1, ms / 5)));
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(Math.max(1, d.toMillis()));
  }
}
