// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.annotation.SubnetAnnotation;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.AutoPoolSize;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.subnet.AppKind;
import io.spiderpool.k8s.subnet.AutoPoolSync;
import io.spiderpool.k8s.subnet.AutoPoolTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The auto-pools of one of Kubernetes' own workload kinds (docs/subnet.md#auto-pools; one instance
 * per kind, {@link AppKind}): for every top-level application whose Pod template names a
 * SpiderSubnet, per interface and enabled family, an auto-pool of {@code replicas + N} (or fixed
 * {@code N}) addresses, kept at that size by {@link AutoPoolSync}; on the application's deletion
 * its reclaimable pools are deleted (docs/subnet.md#reclaim). Whole-state per application: it never
 * looks at which event woke it.
 *
 * <p>Woken by the application (its replicas, Pod template annotations, host network or owners
 * changed; deletion), by its subnets (created, spec changed: a subnet that was too small may have
 * grown), by its auto-pools (deleted, or releasing addresses while a shrink waits for them), and at
 * least every full-scan interval.
 */
@Ignore
public abstract class AppReconciler<T extends HasMetadata> implements Reconciler<T> {
  private static final Logger LOG = Logger.getLogger(AppReconciler.class.getName());

  /** Primary cache index: the SpiderSubnet names an application's template annotations name. */
  static final String BY_SUBNET = "spiderpool-app-subnet";

  /**
   * How soon a pass that could not finish looks again, besides the events that may end the wait.
   */
  static final Duration RETRY = Duration.ofSeconds(10);

  private final AppKind<T> kind;
  private final KubernetesClient client;
  private final ClusterConfig config;
  private final TermGate gate;
  private final AutoPoolSync sync;
  private final SubnetMetrics metrics;

  /**
   * Pools whose shrink waits for Pods to release addresses: their releases wake the application.
   */
  private final Set<String> waitingForRelease;

  /**
   * The last warning logged per application, so a retry every {@link #RETRY} does not repeat it.
   */
  private final Map<String, String> lastWarning = new ConcurrentHashMap<>();

  private InformerEventSource<SpiderSubnet, T> subnets;
  private InformerEventSource<SpiderIPPool, T> pools;

  /**
   * What the reconcilers of all kinds share in one term.
   *
   * @param waitingForRelease pools whose shrink waits for Pods to release addresses
   */
  public record Shared(
      KubernetesClient client,
      ClusterConfig config,
      TermGate gate,
      AutoPoolSync sync,
      SubnetMetrics metrics,
      Set<String> waitingForRelease) {}

  protected AppReconciler(AppKind<T> kind, Shared shared) {
    this.kind = kind;
    this.client = shared.client();
    this.config = shared.config();
    this.gate = shared.gate();
    this.sync = shared.sync();
    this.metrics = shared.metrics();
    this.waitingForRelease = shared.waitingForRelease();
  }

  /** The kind this instance serves. */
  public AppKind<T> kind() {
    return kind;
  }

  @Override
  public List<EventSource<?, T>> prepareEventSources(EventSourceContext<T> context) {
    IndexerResourceCache<T> apps = context.getPrimaryCache();
    apps.addIndexer(BY_SUBNET, this::subnetNames);
    InformerEventSource<SpiderSubnet, T> subnets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SpiderSubnet.class, kind.type())
                .withName("apps-subnets-" + kind.kind())
                .withSecondaryToPrimaryMapper(
                    s -> ids(apps.byIndex(BY_SUBNET, s.getMetadata().getName())))
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(now.getSpec(), before.getSpec())
                            || !Objects.equals(
                                now.getMetadata().getDeletionTimestamp(),
                                before.getMetadata().getDeletionTimestamp()))
                .build(),
            context);
    InformerEventSource<SpiderIPPool, T> pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SpiderIPPool.class, kind.type())
                .withName("apps-pools-" + kind.kind())
                .withLabelSelector(AutoPoolLabels.OWNER_KIND + "=" + kind.kind())
                .withSecondaryToPrimaryMapper(this::appOf)
                .withOnAddFilter(p -> false)
                .withOnUpdateFilter(this::poolChangeMatters)
                .build(),
            context);
    this.subnets = subnets;
    this.pools = pools;
    return List.of(subnets, pools);
  }

  /**
   * A resize's first attempt reads this kind's caches: a stale copy only loses a compare-and-set.
   */
  private final AutoPoolSync.Cache cache =
      new AutoPoolSync.Cache() {
        @Override
        public SpiderSubnet subnet(String name) {
          return subnets == null ? null : subnets.get(new ResourceID(name)).orElse(null);
        }

        @Override
        public List<SpiderIPPool> pools(Map<String, String> labels) {
          return pools == null
              ? null
              : pools
                  .list(
                      p ->
                          p.getMetadata().getLabels() != null
                              && p.getMetadata()
                                  .getLabels()
                                  .entrySet()
                                  .containsAll(labels.entrySet()))
                  .toList();
        }
      };

  private List<String> subnetNames(T app) {
    try {
      Optional<SubnetAnnotation> a = SubnetAnnotation.fromPod(kind.annotations(app));
      List<String> names = new ArrayList<>();
      a.ifPresent(
          x ->
              x.items()
                  .forEach(
                      i -> {
                        i.subnet(IpFamily.V4).ifPresent(names::add);
                        i.subnet(IpFamily.V6).ifPresent(names::add);
                      }));
      return names;
    } catch (InvalidInputException malformed) {
      return List.of();
    }
  }

  private static <T extends HasMetadata> Set<ResourceID> ids(List<T> items) {
    Set<ResourceID> out = new LinkedHashSet<>();
    items.forEach(i -> out.add(ResourceID.fromResource(i)));
    return out;
  }

  private Set<ResourceID> appOf(SpiderIPPool p) {
    Map<String, String> l = p.getMetadata().getLabels();
    if (l == null
        || !AutoPoolLabels.groupVersion(kind.apiVersion()).equals(l.get(AutoPoolLabels.OWNER_GV))
        || l.get(AutoPoolLabels.OWNER_NAME) == null) {
      return Set.of();
    }
    return Set.of(
        new ResourceID(l.get(AutoPoolLabels.OWNER_NAME), l.get(AutoPoolLabels.OWNER_NAMESPACE)));
  }

  /**
   * A pool change wakes its application when someone else changed it, or it released what a shrink
   * waits for.
   */
  private boolean poolChangeMatters(SpiderIPPool now, SpiderIPPool before) {
    if (!Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(),
            before.getMetadata().getDeletionTimestamp())) {
      return true;
    }
    if (!waitingForRelease.contains(now.getMetadata().getName())) {
      return false;
    }
    long was =
        before.getStatus() == null || before.getStatus().getAllocatedIPCount() == null
            ? 0
            : before.getStatus().getAllocatedIPCount();
    long is =
        now.getStatus() == null || now.getStatus().getAllocatedIPCount() == null
            ? 0
            : now.getStatus().getAllocatedIPCount();
    return is < was;
  }

  /** The application's own update filter: only what changes its pools. */
  public boolean appChangeMatters(T now, T before) {
    return kind.replicasOf(now) != kind.replicasOf(before)
        || !kind.annotations(now).equals(kind.annotations(before))
        || kind.hostNetwork(now) != kind.hostNetwork(before)
        || kind.hasController(now) != kind.hasController(before)
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  @Override
  public UpdateControl<T> reconcile(T app, Context<T> context) {
    if (!gate.isOpen()) {
      return UpdateControl.noUpdate();
    }
    String what =
        kind.kind() + " " + app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
    try {
      if (context.isPrimaryResourceDeleted()) {
        lastWarning.remove(what);
        reclaim(app, what);
        return UpdateControl.noUpdate();
      }
      UpdateControl<T> done = apply(app, what);
      lastWarning.remove(what);
      return done;
    } catch (TermGate.Fenced e) {
      return UpdateControl.noUpdate();
    } catch (PoolExhaustedException | InvalidInputException | TransientException e) {
      // a subnet too small, missing or changed: the application's Pods wait with a message that
      // says
      // which; the subnet's own events and the retry look again
      // said once per cause, not at every retry
      if (!e.getMessage().equals(lastWarning.put(what, e.getMessage()))) {
        LOG.warning(what + ": " + e.getMessage());
      }
      return UpdateControl.<T>noUpdate().rescheduleAfter(RETRY);
    }
  }

  private UpdateControl<T> apply(T app, String what) {
    if (kind.hasController(app) || kind.hostNetwork(app)) {
      return UpdateControl.noUpdate();
    }
    Map<String, String> annotations = kind.annotations(app);
    Optional<SubnetAnnotation> subnets = SubnetAnnotation.fromPod(annotations);
    if (subnets.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    IpNumber number = IpNumber.fromPod(annotations, config.clusterSubnetDefaultFlexibleIpNumber());
    boolean reclaim = GoBool.reclaimIpPool(annotations);
    int desired = AutoPoolSize.desired(number, kind.replicasOf(app));
    TopController top = kind.top(app);
    boolean stuck = false;
    for (SubnetItem item : subnets.get().items()) {
      for (IpFamily f : IpFamily.values()) {
        Optional<String> subnet = item.subnet(f);
        if (subnet.isEmpty() || !config.enabled(f)) {
          continue;
        }
        long t0 = System.nanoTime();
        AutoPoolSync.Outcome o =
            sync.sync(
                new AutoPoolTarget(subnet.get(), top, item.nic(), f, desired, number, reclaim),
                cache);
        metrics.autoPoolSynced(o.wrote(), System.nanoTime() - t0);
        if (o.stuck() > 0) {
          waitingForRelease.add(o.pool());
          stuck = true;
        } else {
          waitingForRelease.remove(o.pool());
        }
      }
    }
    if (stuck) {
      LOG.fine(() -> what + ": a shrink waits for Pods to release addresses");
      return UpdateControl.<T>noUpdate().rescheduleAfter(RETRY);
    }
    return UpdateControl.noUpdate();
  }

  /**
   * docs/subnet.md#reclaim: the pools labelled with the application's UID and {@code
   * ippool-reclaim: true} go with it.
   */
  private void reclaim(T app, String what) {
    String uid = app.getMetadata().getUid();
    List<SpiderIPPool> doomed =
        client
            .resources(SpiderIPPool.class)
            .withLabel(AutoPoolLabels.OWNER_UID, uid)
            .withLabel(AutoPoolLabels.RECLAIM, "true")
            .list()
            .getItems();
    for (SpiderIPPool p : doomed) {
      if (p.getMetadata().getDeletionTimestamp() == null) {
        gate.write(() -> client.resource(p).delete());
        waitingForRelease.remove(p.getMetadata().getName());
        LOG.info(
            what
                + " was deleted: deleting its auto-pool "
                + p.getMetadata().getName()
                + " (it goes once its addresses are released)");
      }
    }
    if (doomed.isEmpty()) {
      LOG.fine(() -> what + " was deleted; it had no reclaimable auto-pool");
    }
  }
}
