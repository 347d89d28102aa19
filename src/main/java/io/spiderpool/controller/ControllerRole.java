// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.controller.gc.PoolReconciler;
import io.spiderpool.controller.subnet.AppReconciler;
import io.spiderpool.controller.subnet.AppReconcilers;
import io.spiderpool.controller.subnet.AutoPoolReclaimer;
import io.spiderpool.controller.subnet.SubnetOptions;
import io.spiderpool.controller.subnet.SubnetReconciler;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.k8s.subnet.AutoPoolSync;
import io.spiderpool.service.ipam.KeyedLocks;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The work of the daemon that holds the controller Lease: IP GC, pool and subnet counters,
 * finalizers, SpiderSubnet auto-pools (docs/subnet.md). Each {@link #start()} begins a term with a
 * fresh Java Operator SDK {@code Operator} (its informers list everything, so every pool is
 * reconciled: the scan on leadership start); {@link #stop()} ends it. Idempotent and restartable:
 * start, stop, start again.
 *
 * <p>Every write of a term is checked against {@code fence} immediately before it is sent and
 * skipped when the fence says this process no longer holds the Lease. {@link #stop()} returns only
 * when no write of the ending term can happen any more.
 */
public final class ControllerRole implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControllerRole.class.getName());

  /**
   * How long {@link #stop()} lets running reconciles finish before it stops waiting (writes are
   * fenced anyway).
   */
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final ClusterConfig config;
  private final GcSettings gc;
  private final BooleanSupplier fence;
  private final Clock clock;
  private final SubnetOptions subnet;
  private final ControllerMetrics metrics;
  private Operator operator;
  private TermGate gate;

  /**
   * @param client shared API client; never closed by this class
   * @param config the {@code spiderpool-conf} keys ({@code enableStatefulSet} decides what is
   *     static)
   * @param gc the {@code SPIDERPOOL_GC_*} switches ({@link GcSettings#resolve})
   * @param fence true while this process still safely holds the Lease
   */
  public ControllerRole(
      KubernetesClient client, ClusterConfig config, GcSettings gc, BooleanSupplier fence) {
    this(client, config, gc, fence, Clock.systemUTC());
  }

  /** With a clock for grace-period arithmetic (tests). */
  public ControllerRole(
      KubernetesClient client,
      ClusterConfig config,
      GcSettings gc,
      BooleanSupplier fence,
      Clock clock) {
    this(client, config, gc, fence, clock, SubnetOptions.DEFAULTS);
  }

  /**
   * With where the SpiderSubnet part reports (metrics; the test suite's observer of resize writes).
   */
  public ControllerRole(
      KubernetesClient client,
      ClusterConfig config,
      GcSettings gc,
      BooleanSupplier fence,
      Clock clock,
      SubnetOptions subnet) {
    this(client, config, gc, fence, clock, subnet, ControllerMetrics.NOOP);
  }

  /**
   * With the controller metrics (docs/metrics.md): the role's gauges exist from the start of a term
   * to its end.
   */
  public ControllerRole(
      KubernetesClient client,
      ClusterConfig config,
      GcSettings gc,
      BooleanSupplier fence,
      Clock clock,
      SubnetOptions subnet,
      ControllerMetrics metrics) {
    this.client = client;
    this.config = config;
    this.gc = gc;
    this.fence = fence;
    this.clock = clock;
    this.subnet = subnet;
    this.metrics = metrics;
  }

  /**
   * Begins a term: starts the controllers and returns once their caches are synced and the first
   * reconcile of every pool is under way. Does nothing when a term is running.
   */
  public synchronized void start() {
    if (operator != null) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        startOnce();
        return;
      } catch (RuntimeException e) {
        // an informer's first list can meet a connection the API server just closed; a term is
        // worth a few immediate retries before the Lease is given up over it
        if (attempt >= START_ATTEMPTS || !fence.getAsBoolean()) {
          throw e;
        }
        LOG.warning(
            "starting the controller role failed (attempt "
                + attempt
                + " of "
                + START_ATTEMPTS
                + "), retrying: "
                + e.getMessage());
        try {
          Thread.sleep(START_RETRY_PAUSE_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static final int START_ATTEMPTS = 3;
  private static final long START_RETRY_PAUSE_MS = 500;

  private void startOnce() {
    TermGate term = new TermGate(fence);
    Operator op =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(gc.workers())
                    .withReconciliationTerminationTimeout(DRAIN)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    // JOSDK's default handler exits the JVM; this JVM also serves the node's IPAM
                    .withInformerStoppedHandler(
                        (informer, e) -> {
                          if (e != null) {
                            LOG.log(
                                Level.SEVERE,
                                "a controller-role informer stopped; GC is degraded until the next term",
                                e);
                          }
                        }));
    PoolReconciler pools = new PoolReconciler(client, config, gc, term, clock, metrics);
    op.register(
        pools,
        o ->
            o.withName("spiderpool-ippool")
                .withGenerationAware(false)
                .withOnUpdateFilter(pools::poolChangeMatters)
                .withTriggerReconcilerOnAllEvents(
                    true) // else JOSDK skips terminating pools (we are no Cleaner)
                .withReconciliationMaxInterval(gc.fullScanInterval())
                .withRetry(retry()));
    KeyedLocks subnetLocks = new KeyedLocks();
    SubnetReconciler subnets =
        new SubnetReconciler(client, term, config, subnetLocks, subnet.metrics());
    op.register(
        subnets,
        o ->
            o.withName("spiderpool-subnet")
                .withGenerationAware(false)
                .withOnUpdateFilter(SubnetReconciler::specOrMetadataChanged)
                .withTriggerReconcilerOnAllEvents(true)
                .withReconciliationMaxInterval(gc.fullScanInterval())
                .withRetry(retry()));
    boolean autoPools = config.enableSpiderSubnet() && config.enableAutoPoolForApplication();
    if (autoPools) {
      registerAutoPools(op, term, subnetLocks, subnets);
    }
    // the first reconciles run inside op.start(): the gauges must exist before them
    metrics.termStarted();
    subnet.metrics().termStarted();
    try {
      op.start();
    } catch (RuntimeException e) {
      term.close();
      stopQuietly(op);
      endMetrics();
      throw e;
    }
    gate = term;
    operator = op;
    LOG.info(
        "controller role started: IP GC "
            + (gc.enabled() ? "on" : "off")
            + ", full scan every "
            + gc.fullScanInterval()
            + ", SpiderSubnet auto-pools "
            + (autoPools ? "on" : "off"));
  }

  /**
   * The auto-pool controllers of the SpiderSubnet feature: one per workload kind, and the reclaim
   * of pools whose application is gone. Resizes and the subnet controller share per-subnet locks.
   */
  private void registerAutoPools(
      Operator op, TermGate term, KeyedLocks subnetLocks, SubnetReconciler subnets) {
    AutoPoolSync sync =
        new AutoPoolSync(client, term::write, subnets::reserved, subnet.observer(), subnetLocks);
    AppReconciler.Shared shared =
        new AppReconciler.Shared(
            client, config, term, sync, subnet.metrics(), ConcurrentHashMap.newKeySet());
    for (AppReconciler<?> app : AppReconcilers.all(shared)) {
      registerApp(op, app);
    }
    op.register(
        new AutoPoolReclaimer(client, term),
        o ->
            o.withName("spiderpool-auto-pool-reclaim")
                .withLabelSelector(AutoPoolLabels.OWNER_NAME)
                .withGenerationAware(false)
                // agents rewrite pool status per allocation; only an owner label change concerns
                // reclaim
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                            now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .withReconciliationMaxInterval(gc.fullScanInterval())
                .withRetry(retry()));
  }

  private <T extends HasMetadata> void registerApp(Operator op, AppReconciler<T> app) {
    op.register(
        app,
        o ->
            o.withName("spiderpool-auto-pool-" + app.kind().kind().toLowerCase(Locale.ROOT))
                .withGenerationAware(false)
                .withTriggerReconcilerOnAllEvents(
                    true) // the deletion is when the pools are reclaimed
                .withOnUpdateFilter(app::appChangeMatters)
                .withReconciliationMaxInterval(gc.fullScanInterval())
                .withRetry(retry()));
  }

  /**
   * Ends the term: refuses further writes, waits for writes in flight, stops the controllers and
   * their informers. Returns when nothing of this term can write any more. Does nothing when no
   * term is running.
   */
  public synchronized void stop() {
    if (operator == null) {
      return;
    }
    gate.close();
    stopQuietly(operator);
    endMetrics();
    operator = null;
    gate = null;
    LOG.info("controller role stopped");
  }

  /** Removes the role's gauges: a process that does not hold the role reports no pools. */
  private void endMetrics() {
    metrics.termEnded();
    subnet.metrics().termEnded();
  }

  /** Whether a term is running. */
  public synchronized boolean running() {
    return operator != null;
  }

  @Override
  public void close() {
    stop();
  }

  private GenericRetry retry() {
    return new GenericRetry()
        .setMaxAttempts(gc.maxRetries())
        .setInitialInterval(Duration.ofMillis(500))
        .setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofSeconds(30).toMillis());
  }

  private static void stopQuietly(Operator op) {
    try {
      op.stop();
    } catch (RuntimeException e) {
      LOG.warning("stopping the controllers: " + e.getMessage());
    }
  }
}
