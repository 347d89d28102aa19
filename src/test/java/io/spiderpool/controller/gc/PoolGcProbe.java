// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.gc.RecordGc;
import io.spiderpool.core.port.ControllerMetrics;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** Test access to one GC pass with a hook that runs after the decision, before the write. */
public final class PoolGcProbe {
  private PoolGcProbe() {}

  /** Runs one pass over {@code pool}; {@code hook} runs while the release is being confirmed. */
  public static void collectWithHook(KubernetesClient client, String pool, Runnable hook) {
    ClusterFacts.Lookup api = ClusterFacts.fresh(client);
    ClusterFacts.Lookup hooked =
        podsVia(
            api,
            (namespace, name) -> {
              Pod p = api.pod(namespace, name);
              hook.run();
              return p;
            });
    TermGate gate = new TermGate(() -> true);
    PoolGc gc =
        new PoolGc(client, gate, new RecordGc(GcSettings.DEFAULTS), new ClusterFacts(hooked, true));
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    gc.collect(p, new ClusterFacts(api, true), Instant.now());
    gc.awaitEndpoints();
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
        podsVia(
            api,
            (namespace, name) -> {
              onFreshPodRead.run();
              return api.pod(namespace, name);
            });
    ClusterFacts.Lookup stale = staleOn(api, goneOnCache);
    TermGate gate = new TermGate(() -> true);
    PoolGc gc =
        new PoolGc(client, gate, new RecordGc(GcSettings.DEFAULTS), new ClusterFacts(hooked, true));
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    gc.collect(p, new ClusterFacts(stale, true), Instant.now());
    gc.awaitEndpoints();
  }

  /** How many fresh reads of each kind one pass made. */
  public record Reads(int podGets, int endpointGets, int podLists, int endpointLists) {}

  /**
   * Runs one pass over {@code pool} on a stale cache that has none of the Pods named in {@code
   * goneOnCache}, with the fresh reads (GETs and LISTs) going to the API server and counted.
   */
  public static Reads collectOnStaleCacheCounting(
      KubernetesClient client, String pool, Set<String> goneOnCache) {
    ClusterFacts.Lookup api = ClusterFacts.fresh(client);
    AtomicInteger podGets = new AtomicInteger();
    AtomicInteger endpointGets = new AtomicInteger();
    AtomicInteger podLists = new AtomicInteger();
    AtomicInteger endpointLists = new AtomicInteger();
    ClusterFacts.Lookup counted =
        new ClusterFacts.Lookup() {
          @Override
          public Pod pod(String namespace, String name) {
            podGets.incrementAndGet();
            return api.pod(namespace, name);
          }

          @Override
          public SpiderEndpoint endpoint(String namespace, String name) {
            endpointGets.incrementAndGet();
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

          @Override
          public Map<String, Pod> pods(String namespace, int most) {
            podLists.incrementAndGet();
            return api.pods(namespace, most);
          }

          @Override
          public Map<String, SpiderEndpoint> endpoints(String namespace, int most) {
            endpointLists.incrementAndGet();
            return api.endpoints(namespace, most);
          }
        };
    ClusterFacts.Lookup stale = staleOn(api, goneOnCache);
    PoolGc gc =
        new PoolGc(
            client,
            new TermGate(() -> true),
            new RecordGc(GcSettings.DEFAULTS),
            new ClusterFacts(counted, true));
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    gc.collect(p, new ClusterFacts(stale, true), Instant.now());
    gc.awaitEndpoints();
    return new Reads(podGets.get(), endpointGets.get(), podLists.get(), endpointLists.get());
  }

  /**
   * The names of {@code namespace}'s Pods from the GC's one-read listing, or null when it holds
   * more than {@code most}.
   */
  public static Set<String> listedPods(KubernetesClient client, String namespace, int most) {
    Map<String, Pod> pods = ClusterFacts.fresh(client).pods(namespace, most);
    return pods == null ? null : pods.keySet();
  }

  /**
   * Runs two passes over {@code pool} on one copy of it, read before the first: the second judges
   * on a pool copy that still shows what the first freed, as a role's watch cache does until the
   * first write's event arrives. Returns the records each pass counted as released.
   */
  public static int[] collectTwiceOnOneCopy(KubernetesClient client, String pool) {
    ClusterFacts.Lookup api = ClusterFacts.fresh(client);
    AtomicInteger counted = new AtomicInteger();
    ControllerMetrics metrics =
        new ControllerMetrics() {
          @Override
          public void gcReleasing(int records) {
            counted.addAndGet(records);
          }
        };
    SpiderIPPool copy = client.resources(SpiderIPPool.class).withName(pool).get();
    PoolGc gc =
        new PoolGc(
            client,
            new TermGate(() -> true),
            new RecordGc(GcSettings.DEFAULTS),
            new ClusterFacts(api, true),
            metrics,
            name -> name.equals(pool) ? copy : null);
    int[] perPass = new int[2];
    for (int i = 0; i < 2; i++) {
      int before = counted.get();
      gc.collect(copy, new ClusterFacts(api, true), Instant.now());
      perPass[i] = counted.get() - before;
    }
    gc.awaitEndpoints();
    return perPass;
  }

  /**
   * Hands the endpoints {@code names} of {@code namespace} to the GC as endpoints the caches show
   * without their Pod, as the role's endpoint events and sweeps do, and waits until each decision
   * (and deletion) has ended.
   */
  public static void collectEndpoints(
      KubernetesClient client, String namespace, List<String> names) {
    PoolGc gc =
        new PoolGc(
            client,
            new TermGate(() -> true),
            new RecordGc(GcSettings.DEFAULTS),
            new ClusterFacts(ClusterFacts.fresh(client), true));
    names.forEach(n -> gc.collectEndpoint(namespace, n));
    gc.awaitEndpoints();
  }

  /** {@code api}'s lookups, with Pods read by {@code pods} instead (no listings). */
  private static ClusterFacts.Lookup podsVia(
      ClusterFacts.Lookup api, BiFunction<String, String, Pod> pods) {
    return new ClusterFacts.Lookup() {
      @Override
      public Pod pod(String namespace, String name) {
        return pods.apply(namespace, name);
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
  }

  /** A stale cache: {@code api}'s objects, without the Pods named in {@code goneOnCache}. */
  private static ClusterFacts.Lookup staleOn(ClusterFacts.Lookup api, Set<String> goneOnCache) {
    return podsVia(
        api, (namespace, name) -> goneOnCache.contains(name) ? null : api.pod(namespace, name));
  }
}
