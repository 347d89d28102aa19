// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.port.SubnetMetrics;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetStatus;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.k8s.subnet.ReservedAddresses;
import io.spiderpool.k8s.subnet.SubnetObjects;
import io.spiderpool.service.ipam.KeyedLocks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The SpiderSubnet controller (docs/subnet.md#the-subnet-controller): the finalizer while the
 * subnet lives, and with {@code enableSpiderSubnet} the {@code subnet-cidr} label, adoption of
 * pools with the same CIDR (owner reference, owner label, gateway and routes inherited when unset),
 * exact {@code controlledIPPools}, {@code allocatedIPCount} and {@code totalIPCount}; on deletion,
 * the delete is issued again with foreground propagation when pools carry its owner reference (so
 * Kubernetes' garbage collector deletes them first), and the finalizer goes once no pool is
 * controlled or references it. Without the feature only the finalizer and {@code totalIPCount} are
 * kept. Every write is a compare-and-set through the term's gate; passes on one subnet are
 * serialised with the auto-pool resizes of the same process.
 */
@Ignore
public final class SubnetReconciler implements Reconciler<SpiderSubnet> {
  /** Label Spiderpool's pool webhook puts on a pool that belongs to a subnet. */
  public static final String OWNER_LABEL = "ipam.spidernet.io/owner-spider-subnet";

  private static final Logger LOG = Logger.getLogger(SubnetReconciler.class.getName());
  private static final int ATTEMPTS = 8;

  private final KubernetesClient client;
  private final TermGate gate;
  private final boolean feature;
  private final KeyedLocks locks;
  private final SubnetMetrics metrics;
  private final SubnetBookkeeper book;
  private InformerEventSource<SpiderIPPool, SpiderSubnet> pools;
  private InformerEventSource<SpiderReservedIP, SpiderSubnet> reservedIps;

  /** Without the SpiderSubnet feature: finalizer and {@code totalIPCount} only. */
  public SubnetReconciler(KubernetesClient client, TermGate gate) {
    this(
        client,
        gate,
        ClusterConfig.builder().spiderSubnet(false, false).build(),
        new KeyedLocks(),
        SubnetMetrics.NOOP);
  }

  /**
   * @param locks per-subnet locks shared with the auto-pool resizes of this term
   */
  public SubnetReconciler(
      KubernetesClient client,
      TermGate gate,
      ClusterConfig config,
      KeyedLocks locks,
      SubnetMetrics metrics) {
    this.client = client;
    this.gate = gate;
    this.feature = config.enableSpiderSubnet();
    this.locks = locks;
    this.metrics = metrics;
    this.book = new SubnetBookkeeper(client, gate);
  }

  @Override
  public List<EventSource<?, SpiderSubnet>> prepareEventSources(
      EventSourceContext<SpiderSubnet> context) {
    IndexerResourceCache<SpiderSubnet> subnets = context.getPrimaryCache();
    pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SpiderIPPool.class, SpiderSubnet.class)
                .withName("subnet-pools")
                // agents rewrite a pool's status per allocation; the subnet's records read only its
                // spec
                // and metadata, so those updates need no look at the subnet
                .withOnUpdateFilter(SubnetReconciler::specOrMetadataChanged)
                .withSecondaryToPrimaryMapper(
                    p -> {
                      String owner = ownerOf(p);
                      if (owner != null) {
                        return Set.of(new ResourceID(owner));
                      }
                      // an orphan pool wakes the subnet of its CIDR, which adopts it
                      Set<ResourceID> out = new HashSet<>();
                      subnets
                          .list(s -> sameCidr(s, p))
                          .forEach(s -> out.add(ResourceID.fromResource(s)));
                      return out;
                    })
                .build(),
            context);
    reservedIps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(SpiderReservedIP.class, SpiderSubnet.class)
                .withName("subnet-reserved-ips")
                .withSecondaryToPrimaryMapper(
                    r -> Set.of()) // read by resizes; a reservation changes no subnet
                .build(),
            context);
    return List.of(pools, reservedIps);
  }

  /** SpiderReservedIP addresses of {@code family} as this term's cache has them: never carved. */
  public RangeSet reserved(IpFamily family) {
    return reservedIps == null
        ? RangeSet.empty(family)
        : ReservedAddresses.of(reservedIps.list(r -> true).toList(), family);
  }

  /**
   * Whether an update changed more than the status: the spec (generation), labels, owners,
   * finalizers or the deletion. For the subnet itself this is its own filter too: the status is
   * written by this controller and by resizes, which keep it exact, so a status update needs no
   * pass (the full-scan interval still looks).
   */
  public static boolean specOrMetadataChanged(HasMetadata now, HasMetadata before) {
    ObjectMeta a = now.getMetadata();
    ObjectMeta b = before.getMetadata();
    return !Objects.equals(a.getGeneration(), b.getGeneration())
        || !Objects.equals(a.getLabels(), b.getLabels())
        || !Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
        || !Objects.equals(a.getFinalizers(), b.getFinalizers())
        || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }

  static String ownerOf(SpiderIPPool p) {
    return SubnetObjects.ownerSubnet(p);
  }

  static boolean sameCidr(SpiderSubnet s, SpiderIPPool p) {
    try {
      return SubnetObjects.cidr(s).equals(SubnetObjects.cidr(p));
    } catch (InvalidInputException | NullPointerException e) {
      return false;
    }
  }

  @Override
  public UpdateControl<SpiderSubnet> reconcile(SpiderSubnet subnet, Context<SpiderSubnet> context) {
    String name = subnet.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      metrics.subnetGone(name);
      return UpdateControl.noUpdate();
    }
    if (!gate.isOpen()) {
      return UpdateControl.noUpdate();
    }
    try {
      locks.with(
          name,
          () -> {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
              SpiderSubnet s = client.resources(SpiderSubnet.class).withName(name).get();
              if (s == null || settle(s)) {
                break;
              }
            }
            return null;
          });
    } catch (TermGate.Fenced e) {
      return UpdateControl.noUpdate();
    } catch (InvalidInputException e) {
      LOG.warning("SpiderSubnet " + name + ": " + e.getMessage());
    }
    return UpdateControl.noUpdate();
  }

  /**
   * One read-decide-write round on a fresh copy; true when done, false after a lost race or a step.
   */
  private boolean settle(SpiderSubnet s) {
    List<String> finalizers =
        s.getMetadata().getFinalizers() == null ? List.of() : s.getMetadata().getFinalizers();
    boolean finalized = finalizers.contains(SpiderpoolApi.FINALIZER);
    String name = s.getMetadata().getName();
    try {
      List<SpiderIPPool> children = pools.list(p -> name.equals(ownerOf(p))).toList();
      if (s.getMetadata().getDeletionTimestamp() != null) {
        return deleting(s, finalizers, children);
      }
      if (!finalized) {
        SpiderSubnet copy = client.getKubernetesSerialization().clone(s);
        List<String> more = new ArrayList<>(finalizers);
        more.add(SpiderpoolApi.FINALIZER);
        copy.getMetadata().setFinalizers(more);
        gate.write(() -> client.resource(copy).update());
        return false;
      }
      if (!feature) {
        return totalOnly(s);
      }
      if (book.labelled(s)
          || book.adopt(s, pools.list(p -> ownerOf(p) == null && sameCidr(s, p)).toList())) {
        return false; // what follows is decided on the next read
      }
      SubnetBookkeeper.Counts counts = book.settleRecords(s, children);
      metrics.subnet(name, counts.total(), counts.carved(), counts.pools());
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

  private boolean deleting(SpiderSubnet s, List<String> finalizers, List<SpiderIPPool> children) {
    String name = s.getMetadata().getName();
    boolean ownedByReference = children.stream().anyMatch(p -> ownerReferenceTo(p, s));
    if (feature && ownedByReference && !finalizers.contains("foregroundDeletion")) {
      // Spiderpool re-issues the delete in the foreground, so that the garbage collector deletes
      // the
      // pools (they carry blockOwnerDeletion) before the subnet; a background delete would wait for
      // the subnet to be gone first, which its finalizer prevents
      gate.write(
          () ->
              client
                  .resources(SpiderSubnet.class)
                  .withName(name)
                  .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                  .delete());
      return false;
    }
    boolean controlled = feature && book.dropGone(s, children);
    if (finalizers.contains(SpiderpoolApi.FINALIZER) && children.isEmpty() && !controlled) {
      SpiderSubnet copy = client.getKubernetesSerialization().clone(s);
      List<String> rest = new ArrayList<>(finalizers);
      rest.remove(SpiderpoolApi.FINALIZER);
      copy.getMetadata().setFinalizers(rest);
      gate.write(() -> client.resource(copy).update());
    }
    return true;
  }

  private static boolean ownerReferenceTo(SpiderIPPool p, SpiderSubnet s) {
    List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                o ->
                    "SpiderSubnet".equals(o.getKind())
                        && Objects.equals(o.getUid(), s.getMetadata().getUid()));
  }

  private boolean totalOnly(SpiderSubnet s) {
    long total =
        PoolSpace.of(
                s.getSpec().getSubnet(),
                s.getSpec().getIps(),
                s.getSpec().getExcludeIPs(),
                null,
                null)
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
  }
}
