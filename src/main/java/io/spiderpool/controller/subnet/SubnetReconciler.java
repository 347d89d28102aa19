// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetStatus;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The SpiderSubnet controller, reduced to what exists here (the auto-pool feature does not):
 * {@code totalIPCount} exact, the finalizer added while the subnet lives and removed once it is
 * terminating and no pool references it (controller owner reference or the
 * {@code ipam.spidernet.io/owner-spider-subnet} label). Every write is a compare-and-set through
 * the term's gate.
 */
@Ignore
public final class SubnetReconciler implements Reconciler<SpiderSubnet> {
  /** Label Spiderpool's pool webhook puts on a pool that belongs to a subnet. */
  public static final String OWNER_LABEL = "ipam.spidernet.io/owner-spider-subnet";
  private static final Logger LOG = Logger.getLogger(SubnetReconciler.class.getName());

  private final KubernetesClient client;
  private final TermGate gate;
  private InformerEventSource<SpiderIPPool, SpiderSubnet> pools;

  public SubnetReconciler(KubernetesClient client, TermGate gate) {
    this.client = client;
    this.gate = gate;
  }

  @Override
  public List<EventSource<?, SpiderSubnet>> prepareEventSources(EventSourceContext<SpiderSubnet> context) {
    pools = new InformerEventSource<>(InformerEventSourceConfiguration.from(SpiderIPPool.class, SpiderSubnet.class)
        .withName("subnet-pools")
        .withSecondaryToPrimaryMapper(p -> {
          String owner = ownerOf(p);
          return owner == null ? Set.of() : Set.of(new ResourceID(owner));
        })
        .build(), context);
    return List.of(pools);
  }

  static String ownerOf(SpiderIPPool p) {
    if (p.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference o : p.getMetadata().getOwnerReferences()) {
        if ("SpiderSubnet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController())) {
          return o.getName();
        }
      }
    }
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(OWNER_LABEL);
  }

  @Override
  public UpdateControl<SpiderSubnet> reconcile(SpiderSubnet subnet, Context<SpiderSubnet> context) {
    String name = subnet.getMetadata().getName();
    if (context.isPrimaryResourceDeleted() || !gate.isOpen()) {
      return UpdateControl.noUpdate();
    }
    try {
      for (int attempt = 0; attempt < 8; attempt++) {
        SpiderSubnet s = client.resources(SpiderSubnet.class).withName(name).get();
        if (s == null || settle(s)) {
          break;
        }
      }
    } catch (TermGate.Fenced e) {
      return UpdateControl.noUpdate();
    } catch (InvalidInputException e) {
      LOG.warning("SpiderSubnet " + name + ": " + e.getMessage());
    }
    return UpdateControl.noUpdate();
  }

  /** One read-decide-write round on a fresh copy; true when done, false after a lost race or a step. */
  private boolean settle(SpiderSubnet s) {
    List<String> finalizers = s.getMetadata().getFinalizers() == null ? List.of() : s.getMetadata().getFinalizers();
    boolean finalized = finalizers.contains(SpiderpoolApi.FINALIZER);
    String name = s.getMetadata().getName();
    try {
      if (s.getMetadata().getDeletionTimestamp() != null) {
        boolean referenced = pools.list(p -> name.equals(ownerOf(p))).findAny().isPresent();
        if (finalized && !referenced) {
          SpiderSubnet copy = client.getKubernetesSerialization().clone(s);
          List<String> rest = new ArrayList<>(finalizers);
          rest.remove(SpiderpoolApi.FINALIZER);
          copy.getMetadata().setFinalizers(rest);
          gate.write(() -> client.resource(copy).update());
        }
        return true;
      }
      if (!finalized) {
        SpiderSubnet copy = client.getKubernetesSerialization().clone(s);
        List<String> more = new ArrayList<>(finalizers);
        more.add(SpiderpoolApi.FINALIZER);
        copy.getMetadata().setFinalizers(more);
        gate.write(() -> client.resource(copy).update());
        return false;
      }
      long total = PoolSpace.of(s.getSpec().getSubnet(), s.getSpec().getIps(), s.getSpec().getExcludeIPs(), null, null)
          .totalIpCount();
      if (s.getStatus() != null && Objects.equals(s.getStatus().getTotalIPCount(), total)) {
        return true;
      }
      SpiderSubnet copy = client.getKubernetesSerialization().clone(s);
      SpiderSubnetStatus st = copy.getStatus() == null ? new SpiderSubnetStatus() : copy.getStatus();
      st.setTotalIPCount(total);
      copy.setStatus(st);
      gate.write(() -> client.resource(copy).updateStatus());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      if (e.getCode() == 404) {
        return true;
      }
      throw e;
    }
  }
}
