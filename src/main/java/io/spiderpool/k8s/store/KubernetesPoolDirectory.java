// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.LabelRequirement;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.core.pool.PoolCatalog;
import io.spiderpool.core.pool.PoolView;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.cache.TrimmingItemStore;
import io.spiderpool.k8s.subnet.ReservedAddresses;
import io.spiderpool.service.ipam.PoolDirectory;
import io.spiderpool.service.ipam.PoolStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watch caches of SpiderIPPools (selection candidates) and SpiderReservedIPs. Selection may use a
 * slightly old view; the allocation itself always re-reads the pool and is guarded by CAS.
 */
public final class KubernetesPoolDirectory implements PoolDirectory, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KubernetesPoolDirectory.class.getName());
  private final SharedIndexInformer<SpiderIPPool> poolInformer;
  private final SharedIndexInformer<SpiderReservedIP> reservedInformer;

  public KubernetesPoolDirectory(KubernetesClient client) {
    // the caches keep whole objects but their managedFields, which nothing here reads
    this.poolInformer =
        client
            .resources(SpiderIPPool.class)
            .runnableInformer(0)
            .itemStore(new TrimmingItemStore<>(KubernetesPoolDirectory::withoutManagedFields))
            .run();
    this.reservedInformer =
        client
            .resources(SpiderReservedIP.class)
            .runnableInformer(0)
            .itemStore(new TrimmingItemStore<>(KubernetesPoolDirectory::withoutManagedFields))
            .run();
  }

  @Override
  public PoolCatalog catalog() {
    List<PoolView> views = new ArrayList<>();
    for (SpiderIPPool p : poolInformer.getStore().list()) {
      try {
        views.add(view(p));
      } catch (InvalidInputException | IllegalArgumentException e) {
        LOG.log(
            Level.WARNING,
            "SpiderIPPool " + p.getMetadata().getName() + " is not usable: " + e.getMessage());
      }
    }
    return PoolCatalog.of(views);
  }

  /** The watch cache's copy of a pool, or null. */
  public SpiderIPPool cached(String pool) {
    return poolInformer.getStore().getByKey(pool);
  }

  /** Every pool in the watch cache (the objects are the cache's: never change them). */
  public List<SpiderIPPool> cachedPools() {
    return poolInformer.getStore().list();
  }

  /**
   * Runs {@code listener} on the informer's thread after each pool change the watch cache takes in.
   */
  public void onChange(Runnable listener) {
    poolInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(SpiderIPPool p) {
            listener.run();
          }

          @Override
          public void onUpdate(SpiderIPPool before, SpiderIPPool now) {
            listener.run();
          }

          @Override
          public void onDelete(SpiderIPPool p, boolean finalStateUnknown) {
            listener.run();
          }
        });
  }

  @Override
  public List<PoolStore.Route> routes(String pool) {
    SpiderIPPool p = poolInformer.getStore().getByKey(pool);
    if (p == null || p.getSpec().getRoutes() == null) {
      return List.of();
    }
    return p.getSpec().getRoutes().stream()
        .map(r -> new PoolStore.Route(r.getDst(), r.getGw()))
        .toList();
  }

  /** Addresses of non-terminating SpiderReservedIPs of a family: never handed out. */
  public RangeSet reserved(IpFamily family) {
    return ReservedAddresses.of(reservedInformer.getStore().list(), family);
  }

  /** A shallow copy of {@code o} whose metadata has no managedFields. */
  static SpiderIPPool withoutManagedFields(SpiderIPPool o) {
    SpiderIPPool t = new SpiderIPPool();
    t.setMetadata(TrimmingItemStore.withoutManagedFields(o.getMetadata()));
    t.setSpec(o.getSpec());
    t.setStatus(o.getStatus());
    return t;
  }

  /** A shallow copy of {@code o} whose metadata has no managedFields. */
  static SpiderReservedIP withoutManagedFields(SpiderReservedIP o) {
    SpiderReservedIP t = new SpiderReservedIP();
    t.setMetadata(TrimmingItemStore.withoutManagedFields(o.getMetadata()));
    t.setSpec(o.getSpec());
    return t;
  }

  static PoolView view(SpiderIPPool p) {
    SpiderIPPoolSpec s = p.getSpec();
    Cidr subnet = Cidr.parse(s.getSubnet());
    PoolView.Builder b =
        PoolView.builder(p.getMetadata().getName())
            .family(
                s.getIpVersion() == null ? subnet.family() : IpFamily.ofVersion(s.getIpVersion()))
            .subnet(subnet)
            .isDefault(Boolean.TRUE.equals(s.getDefault()))
            .disabled(Boolean.TRUE.equals(s.getDisable()))
            .terminating(p.getMetadata().getDeletionTimestamp() != null)
            .podAffinity(selector(s.getPodAffinity()))
            .namespaceAffinity(selector(s.getNamespaceAffinity()))
            .namespaceNames(orEmpty(s.getNamespaceName()))
            .nodeAffinity(selector(s.getNodeAffinity()))
            .nodeNames(orEmpty(s.getNodeName()))
            .multusNames(orEmpty(s.getMultusName()))
            .labels(p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels());
    if (s.getGateway() != null && !s.getGateway().isEmpty()) {
      b.gateway(IpAddress.parse(s.getGateway()));
    }
    return b.build();
  }

  private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
    if (s == null) {
      return null;
    }
    List<LabelRequirement> exprs = new ArrayList<>();
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        exprs.add(
            LabelRequirement.of(
                r.getKey(), r.getOperator(), r.getValues() == null ? List.of() : r.getValues()));
      }
    }
    return LabelSelector.of(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels(), exprs);
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }

  @Override
  public void close() {
    poolInformer.close();
    reservedInformer.close();
  }
}
