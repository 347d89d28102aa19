// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.gc.RecordGc;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import java.time.Instant;
import java.util.Set;

/** Test access to one GC pass with a hook that runs after the decision, before the write. */
public final class PoolGcProbe {
  private PoolGcProbe() {}

  /** Runs one pass over {@code pool}; {@code hook} runs while the release is being confirmed. */
  public static void collectWithHook(KubernetesClient client, String pool, Runnable hook) {
    ClusterFacts.Lookup api = ClusterFacts.fresh(client);
    ClusterFacts.Lookup hooked =
        new ClusterFacts.Lookup() {
          @Override
          public Pod pod(String namespace, String name) {
            Pod p = api.pod(namespace, name);
            hook.run();
            return p;
          }

          @Override
          public SpiderEndpoint endpoint(String namespace, String name) {
            return api.endpoint(namespace, name);
          }

          @Override
          public StatefulSet statefulSet(String namespace, String name) {
            return api.statefulSet(namespace, name);
          }

          @Override
          public Node node(String name) {
            return api.node(name);
          }
        };
    TermGate gate = new TermGate(() -> true);
    PoolGc gc =
        new PoolGc(client, gate, new RecordGc(GcSettings.DEFAULTS), new ClusterFacts(hooked, true));
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    gc.collect(p, new ClusterFacts(api, true), Instant.now());
  }

  /**
   * Runs one pass over {@code pool} on a stale cache that has none of the Pods named in {@code
   * goneOnCache} (it missed their creation), while the fresh reads go to the API server; {@code
   * onFreshPodRead} runs inside each fresh Pod read, before it returns.
   */
  public static void collectOnStaleCache(
      KubernetesClient client, String pool, Set<String> goneOnCache, Runnable onFreshPodRead) {
    ClusterFacts.Lookup api = ClusterFacts.fresh(client);
    ClusterFacts.Lookup hooked =
        new ClusterFacts.Lookup() {
          @Override
          public Pod pod(String namespace, String name) {
            onFreshPodRead.run();
            return api.pod(namespace, name);
          }

          @Override
          public SpiderEndpoint endpoint(String namespace, String name) {
            return api.endpoint(namespace, name);
          }

          @Override
          public StatefulSet statefulSet(String namespace, String name) {
            return api.statefulSet(namespace, name);
          }

          @Override
          public Node node(String name) {
            return api.node(name);
          }
        };
    ClusterFacts.Lookup stale =
        new ClusterFacts.Lookup() {
          @Override
          public Pod pod(String namespace, String name) {
            return goneOnCache.contains(name) ? null : api.pod(namespace, name);
          }

          @Override
          public SpiderEndpoint endpoint(String namespace, String name) {
            return api.endpoint(namespace, name);
          }

          @Override
          public StatefulSet statefulSet(String namespace, String name) {
            return api.statefulSet(namespace, name);
          }

          @Override
          public Node node(String name) {
            return api.node(name);
          }
        };
    TermGate gate = new TermGate(() -> true);
    PoolGc gc =
        new PoolGc(client, gate, new RecordGc(GcSettings.DEFAULTS), new ClusterFacts(hooked, true));
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    gc.collect(p, new ClusterFacts(stale, true), Instant.now());
  }
}
