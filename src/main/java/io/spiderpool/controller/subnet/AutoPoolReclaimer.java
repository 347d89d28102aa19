// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.subnet.AppRef;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.subnet.Applications;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reclaims auto-pools whose application is gone (docs/subnet.md#third-party-controllers): an
 * auto-pool labelled {@code ippool-reclaim: true} whose application does not exist, or exists under
 * another UID (a re-created one, which gets a pool of its own), is deleted; its finalizer keeps it
 * until every address is released. For Kubernetes' own kinds this is the safety net behind the
 * application controllers' delete events (a deletion while no daemon held the role is caught when a
 * term starts, and at every full-scan interval). For a third-party application it is the reclaim
 * itself: the first auto-pool of a kind starts a watch of that kind, whose deletions wake the
 * pools.
 */
@Ignore
public final class AutoPoolReclaimer implements Reconciler<SpiderIPPool> {
  private static final Logger LOG = Logger.getLogger(AutoPoolReclaimer.class.getName());

  /**
   * When the API server could not say whether the application exists, or its kind cannot be
   * watched.
   */
  static final Duration RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final TermGate gate;
  private final Applications applications;

  /** Third-party kinds watched in this term, and those that could not be. */
  private final Set<String> watched = ConcurrentHashMap.newKeySet();

  public AutoPoolReclaimer(KubernetesClient client, TermGate gate) {
    this.client = client;
    this.gate = gate;
    this.applications = new Applications(client);
  }

  @Override
  public UpdateControl<SpiderIPPool> reconcile(SpiderIPPool pool, Context<SpiderIPPool> context) {
    if (context.isPrimaryResourceDeleted()
        || !gate.isOpen()
        || pool.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    Map<String, String> labels = pool.getMetadata().getLabels();
    Optional<AppRef> app = labels == null ? Optional.empty() : AutoPoolLabels.application(labels);
    if (app.isEmpty() || !"true".equals(labels.get(AutoPoolLabels.RECLAIM))) {
      return UpdateControl.noUpdate();
    }
    boolean watchedKind = app.get().isNative() || watch(app.get(), context);
    try {
      switch (applications.presence(app.get(), labels.get(AutoPoolLabels.OWNER_UID))) {
        case ABSENT -> {
          gate.write(() -> client.resource(pool).delete());
          LOG.info(
              app.get()
                  + " (uid "
                  + labels.get(AutoPoolLabels.OWNER_UID)
                  + ") is gone: deleting its auto-pool "
                  + pool.getMetadata().getName()
                  + " (it goes once its addresses are released)");
          return UpdateControl.noUpdate();
        }
        case UNKNOWN -> {
          return UpdateControl.<SpiderIPPool>noUpdate().rescheduleAfter(RETRY);
        }
        default -> {
          return watchedKind
              ? UpdateControl.noUpdate()
              : UpdateControl.<SpiderIPPool>noUpdate().rescheduleAfter(RETRY);
        }
      }
    } catch (TermGate.Fenced e) {
      return UpdateControl.noUpdate();
    }
  }

  /**
   * Watches a third-party kind for the rest of the term, so that its deletions wake the pools of
   * its objects; false when it cannot be watched (the pool is then looked at every {@link #RETRY}).
   */
  private boolean watch(AppRef app, Context<SpiderIPPool> context) {
    String key = app.apiVersion() + "/" + app.kind();
    if (watched.contains(key)) {
      return true;
    }
    int slash = app.apiVersion().indexOf('/');
    GroupVersionKind gvk =
        new GroupVersionKind(
            slash < 0 ? "" : app.apiVersion().substring(0, slash),
            app.apiVersion().substring(slash + 1),
            app.kind());
    try {
      EventSourceContext<SpiderIPPool> esc =
          context.eventSourceRetriever().eventSourceContextForDynamicRegistration();
      InformerEventSource<GenericKubernetesResource, SpiderIPPool> owners =
          new InformerEventSource<>(
              InformerEventSourceConfiguration.from(gvk, SpiderIPPool.class)
                  .withName("auto-pool-owners-" + key)
                  .withSecondaryToPrimaryMapper(o -> poolsOf(esc, app.apiVersion(), app.kind(), o))
                  .withOnAddFilter(o -> false)
                  .withOnUpdateFilter(
                      (now, before) ->
                          now.getMetadata().getDeletionTimestamp() != null
                              && before.getMetadata().getDeletionTimestamp() == null)
                  .build(),
              esc);
      context.eventSourceRetriever().dynamicallyRegisterEventSource(owners);
      watched.add(key);
      LOG.info(
          "watching " + key + " objects: their auto-pools are reclaimed when they are deleted");
      return true;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "cannot watch "
              + key
              + " (looking every "
              + RETRY.toSeconds()
              + "s instead): "
              + e.getMessage());
      return false;
    }
  }

  private static Set<ResourceID> poolsOf(
      EventSourceContext<SpiderIPPool> esc,
      String apiVersion,
      String kind,
      GenericKubernetesResource owner) {
    String gv = AutoPoolLabels.groupVersion(apiVersion);
    Set<ResourceID> out = new HashSet<>();
    esc.getPrimaryCache()
        .list(
            p -> {
              Map<String, String> l = p.getMetadata().getLabels();
              return l != null
                  && gv.equals(l.get(AutoPoolLabels.OWNER_GV))
                  && kind.equals(l.get(AutoPoolLabels.OWNER_KIND))
                  && owner
                      .getMetadata()
                      .getNamespace()
                      .equals(l.get(AutoPoolLabels.OWNER_NAMESPACE))
                  && owner.getMetadata().getName().equals(l.get(AutoPoolLabels.OWNER_NAME));
            })
        .forEach(p -> out.add(ResourceID.fromResource(p)));
    return out;
  }
}
