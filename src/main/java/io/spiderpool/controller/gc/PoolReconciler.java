// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.gc.RecordGc;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.k8s.cache.TrimmingItemStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The SpiderIPPool controller of the controller role: per pool, whole-state, it releases leaked
 * records (IP GC), keeps the counters exact and manages the finalizer, then asks to be called again
 * at the earliest grace-period end. Triggered by the pool itself, by Pods, SpiderEndpoints,
 * StatefulSets and Nodes (mapped to the pools holding records for them through {@link PoolIndex}),
 * and at least every {@code SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION} (the periodic full scan);
 * every pool is reconciled when a term starts (the scan on leadership start).
 *
 * <p>{@code @Ignore}: the controller role builds this per term; Quarkus must not make it a bean.
 */
@Ignore
public final class PoolReconciler implements Reconciler<SpiderIPPool> {
  private static final Logger LOG = Logger.getLogger(PoolReconciler.class.getName());
  private static final Duration MIN_RESCHEDULE = Duration.ofMillis(100);

  private final GcSettings settings;
  private final KubernetesClient client;
  private final boolean statefulSetEnabled;
  private final PoolGc gc;
  private final PoolStatusKeeper status;
  private final TermGate gate;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private volatile IndexerResourceCache<SpiderIPPool> primary;
  private InformerEventSource<Pod, SpiderIPPool> pods;
  private InformerEventSource<SpiderEndpoint, SpiderIPPool> endpoints;
  private InformerEventSource<StatefulSet, SpiderIPPool> statefulSets;
  private InformerEventSource<Node, SpiderIPPool> nodes;

  public PoolReconciler(
      KubernetesClient client,
      ClusterConfig config,
      GcSettings settings,
      TermGate gate,
      Clock clock) {
    this(client, config, settings, gate, clock, ControllerMetrics.NOOP);
  }

  /** Reporting GC releases and pool sizes to {@code metrics} (docs/metrics.md). */
  public PoolReconciler(
      KubernetesClient client,
      ClusterConfig config,
      GcSettings settings,
      TermGate gate,
      Clock clock,
      ControllerMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.client = client;
    this.statefulSetEnabled = config.enableStatefulSet();
    this.gate = gate;
    this.clock = clock;
    this.gc =
        new PoolGc(
            client,
            gate,
            new RecordGc(settings),
            new ClusterFacts(ClusterFacts.fresh(client), statefulSetEnabled),
            metrics,
            this::cachedPool);
    this.status = new PoolStatusKeeper(client, gate);
  }

  @Override
  public List<EventSource<?, SpiderIPPool>> prepareEventSources(
      EventSourceContext<SpiderIPPool> context) {
    IndexerResourceCache<SpiderIPPool> primary = context.getPrimaryCache();
    this.primary = primary;
    PoolIndex.install(primary);
    pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, SpiderIPPool.class)
                .withName("gc-pods")
                .withItemStore(new TrimmingItemStore<>(RoleCaches::pod))
                .withSecondaryToPrimaryMapper(
                    p -> PoolIndex.pools(primary, PoolIndex.BY_POD, key(p)))
                .withOnUpdateFilter(PodChange::matters)
                .build(),
            context);
    endpoints =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SpiderEndpoint.class, SpiderIPPool.class)
                .withName("gc-endpoints")
                .withItemStore(new TrimmingItemStore<>(RoleCaches::endpoint))
                .withSecondaryToPrimaryMapper(
                    e -> PoolIndex.pools(primary, PoolIndex.BY_POD, key(e)))
                // a new endpoint belongs to a Pod just served: it never frees anything, and an
                // agent creates one per allocation, so waking the pool for each would rescan it per
                // Pod; one whose Pod is not even in the cache is looked at on its own
                .withOnAddFilter(
                    e -> {
                      endpointAdded(e);
                      return false;
                    })
                .withOnUpdateFilter(PodChange::endpointMatters)
                .build(),
            context);
    statefulSets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(StatefulSet.class, SpiderIPPool.class)
                .withName("gc-statefulsets")
                .withItemStore(new TrimmingItemStore<>(RoleCaches::statefulSet))
                .withSecondaryToPrimaryMapper(
                    s -> PoolIndex.pools(primary, PoolIndex.BY_STATEFULSET, key(s)))
                .withOnUpdateFilter(PodChange::statefulSetMatters)
                .build(),
            context);
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, SpiderIPPool.class)
                .withName("gc-nodes")
                .withItemStore(new TrimmingItemStore<>(RoleCaches::node))
                .withSecondaryToPrimaryMapper(n -> poolsOfNode(primary, n.getMetadata().getName()))
                .withOnUpdateFilter(
                    (now, before) -> ClusterFacts.isReady(now) != ClusterFacts.isReady(before))
                .build(),
            context);
    return List.of(pods, endpoints, statefulSets, nodes);
  }

  /**
   * A new endpoint (or, in a sweep, a cached one) whose Pod the Pod cache does not have: {@link
   * PoolGc#collectEndpoint} decides on fresh reads. Only once this term's first sweep began: while
   * the informers fill, the Pod cache may not have a Pod yet that exists.
   */
  private void endpointAdded(SpiderEndpoint e) {
    if (lastSweep == null || !settings.enabled() || !gate.isOpen()) {
      return;
    }
    String ns = e.getMetadata().getNamespace();
    String name = e.getMetadata().getName();
    if (pods.get(new ResourceID(name, ns)).isEmpty()) {
      gc.collectEndpoint(ns, name);
    }
  }

  /**
   * Looks at every cached endpoint as at a new one, at this term's first reconcile (the informers
   * have filled by then) and again once per full-scan interval: endpoints left without their Pod
   * before the term began, or whose event this term missed.
   */
  private void sweepEndpoints() {
    Instant now = clock.instant();
    synchronized (this) {
      if (lastSweep != null && now.isBefore(lastSweep.plus(settings.fullScanInterval()))) {
        return;
      }
      lastSweep = now;
    }
    endpoints.list().forEach(this::endpointAdded);
  }

  /** When this term last swept the endpoint cache; null before its first sweep. */
  private volatile Instant lastSweep;

  /**
   * The pool's own update filter. Agents rewrite a pool's status for every allocation and release,
   * and reconciling the whole pool for each cost the role holder about as much CPU as the
   * allocations; such an update needs the pool reconciled only when: anything but the status
   * changed; the counters are not exact; or a record appeared (or changed owner) that the rules
   * would not simply keep, judged on the caches (its Pod gone, finished, terminating, on a NotReady
   * node, …); or the pool is terminating and has no record left (its finalizer is due). The record
   * case is what a Pod's own event cannot cover: a Pod deleted before the record reached the pool
   * cache found no pool through the index. Records of live Pods are reached later through their
   * Pods' events, and every pool is rescanned at the full-scan interval anyway.
   */
  public boolean poolChangeMatters(SpiderIPPool now, SpiderIPPool before) {
    if (pods == null
        || !Objects.equals(
            annotation(now, SpiderpoolApi.GC_REQUESTED),
            annotation(before, SpiderpoolApi.GC_REQUESTED))
        || !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !Objects.equals(
            now.getMetadata().getFinalizers(), before.getMetadata().getFinalizers())) {
      return true;
    }
    PoolRecords records;
    PoolRecords old;
    try {
      records =
          PoolRecords.parse(now.getStatus() == null ? null : now.getStatus().getAllocatedIPs());
      old =
          PoolRecords.parse(
              before.getStatus() == null ? null : before.getStatus().getAllocatedIPs());
    } catch (RuntimeException malformed) {
      return true; // the reconciler reports it
    }
    // this term's informer delivered the event: its cache is alive (docs/metrics.md)
    metrics.pool(now.getMetadata().getName(), counters(now.getMetadata().getName()));
    if (now.getMetadata().getDeletionTimestamp() != null
        && records.size() == 0
        && now.getMetadata().getFinalizers() != null
        && now.getMetadata().getFinalizers().contains(SpiderpoolApi.FINALIZER)) {
      // a terminating pool just emptied (an agent's DEL, or this role's own release, settled on
      // the copy from before it): its finalizer goes now, not at the full scan
      return true;
    }
    SpiderIPPoolStatus s = now.getStatus();
    if (s == null
        || s.getTotalIPCount() == null
        || s.getAllocatedIPCount() == null
        || s.getAllocatedIPCount() != records.size()
        || before.getStatus() == null
        || !s.getTotalIPCount().equals(before.getStatus().getTotalIPCount())) {
      return true;
    }
    if (!settings.enabled()) {
      return false;
    }
    ClusterFacts cached = new ClusterFacts(cacheLookup(), statefulSetEnabled);
    Instant t = clock.instant();
    Map<String, PoolRecord> was = old.asMap();
    for (Map.Entry<String, PoolRecord> e : records.asMap().entrySet()) {
      if (!e.getValue().equals(was.get(e.getKey())) && !gc.keptOnCache(e.getValue(), cached, t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pool's counters as the primary cache has them at each scrape: the newest version this
   * process has seen (the agents keep {@code allocatedIPCount} exact with every write, and the role
   * {@code totalIPCount}), so the gauges follow updates that never reach {@link #reconcile}.
   */
  private ControllerMetrics.PoolCounters counters(String name) {
    IndexerResourceCache<SpiderIPPool> cache = primary;
    ResourceID id = new ResourceID(name);
    return new ControllerMetrics.PoolCounters() {
      @Override
      public long total() {
        SpiderIPPoolStatus s = status(cache, id);
        return s == null || s.getTotalIPCount() == null ? -1 : s.getTotalIPCount();
      }

      @Override
      public long allocated() {
        SpiderIPPoolStatus s = status(cache, id);
        return s == null || s.getAllocatedIPCount() == null ? -1 : s.getAllocatedIPCount();
      }
    };
  }

  private static SpiderIPPoolStatus status(
      IndexerResourceCache<SpiderIPPool> cache, ResourceID id) {
    return cache == null ? null : cache.get(id).map(SpiderIPPool::getStatus).orElse(null);
  }

  /** The pool as the primary cache has it; null before the term's informers exist, or absent. */
  private SpiderIPPool cachedPool(String name) {
    IndexerResourceCache<SpiderIPPool> cache = primary;
    return cache == null ? null : cache.get(new ResourceID(name)).orElse(null);
  }

  private Set<ResourceID> poolsOfNode(IndexerResourceCache<SpiderIPPool> primary, String node) {
    Set<ResourceID> out = new LinkedHashSet<>();
    pods.list(p -> node.equals(p.getSpec().getNodeName()))
        .forEach(p -> out.addAll(PoolIndex.pools(primary, PoolIndex.BY_POD, key(p))));
    return out;
  }

  private static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  @Override
  public UpdateControl<SpiderIPPool> reconcile(SpiderIPPool pool, Context<SpiderIPPool> context) {
    String name = pool.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      metrics.poolGone(name);
      return UpdateControl.noUpdate();
    }
    if (!gate.isOpen()) {
      return UpdateControl.noUpdate();
    }
    metrics.pool(name, counters(name));
    try {
      Instant next = null;
      if (settings.enabled()) {
        sweepEndpoints();
        ClusterFacts cached = new ClusterFacts(cacheLookup(), statefulSetEnabled);
        next = gc.collect(pool, cached, clock.instant());
      }
      status.settle(name, pool);
      acknowledgeRequest(pool);
      if (next == null) {
        return UpdateControl.noUpdate();
      }
      Duration wait = Duration.between(clock.instant(), next);
      return UpdateControl.<SpiderIPPool>noUpdate()
          .rescheduleAfter(wait.compareTo(MIN_RESCHEDULE) < 0 ? MIN_RESCHEDULE : wait);
    } catch (TermGate.Fenced e) {
      return UpdateControl.noUpdate();
    } catch (InvalidInputException e) {
      LOG.warning(
          "SpiderIPPool " + name + ": " + e.getMessage() + "; not collected until it is fixed");
      return UpdateControl.noUpdate();
    }
  }

  private static String annotation(SpiderIPPool p, String key) {
    Map<String, String> a = p.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  /**
   * An operator's {@code spiderpool gc run} (docs/cli.md#gc): once the pool has been collected, the
   * request token is copied to {@link SpiderpoolApi#GC_DONE}, so the command sees its scan done.
   * Only when a request is pending; a merge patch of one annotation.
   */
  private void acknowledgeRequest(SpiderIPPool pool) {
    String requested = annotation(pool, SpiderpoolApi.GC_REQUESTED);
    if (requested == null
        || requested.equals(annotation(pool, SpiderpoolApi.GC_DONE))
        || !gate.isOpen()) {
      return;
    }
    client
        .resources(SpiderIPPool.class)
        .withName(pool.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + SpiderpoolApi.GC_DONE
                + "\":"
                + JsonWriter.write(requested)
                + "}}}");
  }

  private ClusterFacts.Lookup cacheLookup() {
    return new ClusterFacts.Lookup() {
      @Override
      public Pod pod(String namespace, String name) {
        return pods.get(new ResourceID(name, namespace)).orElse(null);
      }

      @Override
      public SpiderEndpoint endpoint(String namespace, String name) {
        return endpoints.get(new ResourceID(name, namespace)).orElse(null);
      }

      @Override
      public StatefulSet statefulSet(String namespace, String name) {
        return statefulSets.get(new ResourceID(name, namespace)).orElse(null);
      }

      @Override
      public Node node(String name) {
        return name == null ? null : nodes.get(new ResourceID(name)).orElse(null);
      }
    };
  }
}
