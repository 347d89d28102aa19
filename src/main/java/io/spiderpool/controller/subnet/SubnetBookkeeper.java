// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AppRef;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.AutoPoolName;
import io.spiderpool.core.subnet.ControlledPools;
import io.spiderpool.core.subnet.SubnetBook;
import io.spiderpool.k8s.api.Route;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.subnet.Applications;
import io.spiderpool.k8s.subnet.SubnetObjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The writes of the subnet controller besides its finalizer: the CIDR label, adoption of pools of
 * its CIDR, and {@code controlledIPPools} with both counters. A record whose pool is missing from
 * the cache is dropped only after a fresh read confirms the pool is gone and no auto-pool is about
 * to be made for it (its application is alive with the UID the pool's name ends with).
 */
final class SubnetBookkeeper {
  private static final Logger LOG = Logger.getLogger(SubnetBookkeeper.class.getName());

  private final KubernetesClient client;
  private final TermGate gate;
  private final Applications applications;

  SubnetBookkeeper(KubernetesClient client, TermGate gate) {
    this.client = client;
    this.gate = gate;
    this.applications = new Applications(client);
  }

  /** What the subnet's status says after a pass. */
  record Counts(long total, long carved, int pools) {}

  /** Sets the {@code subnet-cidr} label when it is missing or wrong; true when it wrote. */
  boolean labelled(SpiderSubnet s) {
    String want = SubnetObjects.cidr(s).labelValue();
    Map<String, String> labels = s.getMetadata().getLabels();
    if (labels != null && want.equals(labels.get(AutoPoolLabels.SUBNET_CIDR))) {
      return false;
    }
    SpiderSubnet copy = client.getKubernetesSerialization().clone(s);
    Map<String, String> next = labels == null ? new HashMap<>() : new HashMap<>(labels);
    next.put(AutoPoolLabels.SUBNET_CIDR, want);
    copy.getMetadata().setLabels(next);
    gate.write(() -> client.resource(copy).update());
    return true;
  }

  /**
   * Makes the subnet the controller owner of pools of its CIDR that have none
   * (docs/subnet.md#the-subnet-controller): owner reference, owner label, and the subnet's gateway
   * and routes where the pool has none. True when it wrote.
   */
  boolean adopt(SpiderSubnet s, List<SpiderIPPool> orphans) {
    boolean wrote = false;
    for (SpiderIPPool p : orphans) {
      if (p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      SpiderIPPool copy = client.getKubernetesSerialization().clone(p);
      List<OwnerReference> refs =
          copy.getMetadata().getOwnerReferences() == null
              ? new ArrayList<>()
              : new ArrayList<>(copy.getMetadata().getOwnerReferences());
      refs.add(SubnetObjects.ownerReference(s));
      copy.getMetadata().setOwnerReferences(refs);
      Map<String, String> labels =
          copy.getMetadata().getLabels() == null
              ? new HashMap<>()
              : new HashMap<>(copy.getMetadata().getLabels());
      labels.put(AutoPoolLabels.OWNER_SUBNET, s.getMetadata().getName());
      copy.getMetadata().setLabels(labels);
      if (copy.getSpec().getGateway() == null) {
        copy.getSpec().setGateway(s.getSpec().getGateway());
      }
      if (copy.getSpec().getRoutes() == null && s.getSpec().getRoutes() != null) {
        copy.getSpec().setRoutes(new ArrayList<Route>(s.getSpec().getRoutes()));
      }
      gate.write(() -> client.resource(copy).update());
      LOG.info(
          "SpiderSubnet "
              + s.getMetadata().getName()
              + " adopted SpiderIPPool "
              + p.getMetadata().getName());
      wrote = true;
    }
    return wrote;
  }

  /**
   * Brings {@code controlledIPPools} and the counters in line with the pools
   * (docs/subnet.md#the-subnet-controller).
   */
  Counts settleRecords(SpiderSubnet s, List<SpiderIPPool> pools) {
    Cidr cidr = SubnetObjects.cidr(s);
    RangeSet addresses = SubnetObjects.addresses(s);
    ControlledPools current = SubnetObjects.controlled(s);
    List<SubnetBook.Child> children = children(pools, cidr.family());
    Set<String> gone = confirmGone(SubnetBook.orphans(current, children), current, false);
    ControlledPools next = SubnetBook.recompute(current, addresses, children, gone);
    Counts counts =
        new Counts(addresses.sizeCapped(), next.carvedCount(cidr.family()), next.entries().size());
    var st = s.getStatus();
    if (!next.equals(current)
        || st == null
        || !Objects.equals(st.getTotalIPCount(), counts.total())
        || !Objects.equals(st.getAllocatedIPCount(), counts.carved())) {
      write(s, next);
      if (!gone.isEmpty()) {
        LOG.info("SpiderSubnet " + s.getMetadata().getName() + " no longer controls " + gone);
      }
    }
    return counts;
  }

  /**
   * While the subnet is deleted: drops the records of pools that are gone; true while any remain.
   */
  boolean dropGone(SpiderSubnet s, List<SpiderIPPool> pools) {
    ControlledPools current = SubnetObjects.controlled(s);
    List<SubnetBook.Child> children = children(pools, SubnetObjects.cidr(s).family());
    Set<String> gone = confirmGone(SubnetBook.orphans(current, children), current, true);
    if (!gone.isEmpty()) {
      ControlledPools next = current;
      for (String pool : gone) {
        next = next.without(pool);
      }
      write(s, next);
      return !next.entries().isEmpty();
    }
    return !current.entries().isEmpty();
  }

  private void write(SpiderSubnet s, ControlledPools next) {
    SpiderSubnet copy =
        SubnetObjects.recordControlled(client.getKubernetesSerialization().clone(s), next);
    gate.write(() -> client.resource(copy).updateStatus());
  }

  private static List<SubnetBook.Child> children(List<SpiderIPPool> pools, IpFamily family) {
    List<SubnetBook.Child> out = new ArrayList<>();
    for (SpiderIPPool p : pools) {
      try {
        Cidr cidr = SubnetObjects.cidr(p);
        if (cidr.family() != family) {
          continue;
        }
        RangeSet addresses =
            RangeList.parse("spec.ips", p.getSpec().getIps(), cidr)
                .minus(RangeList.parse("spec.excludeIPs", p.getSpec().getExcludeIPs(), cidr));
        Map<String, String> labels =
            p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        String app =
            SubnetObjects.isAutoPool(p)
                ? AutoPoolLabels.application(labels).map(AppRef::key).orElse("")
                : null;
        out.add(new SubnetBook.Child(p.getMetadata().getName(), app, addresses));
      } catch (InvalidInputException malformed) {
        LOG.warning(
            "SpiderIPPool "
                + p.getMetadata().getName()
                + " is not counted: "
                + malformed.getMessage());
      }
    }
    return out;
  }

  /**
   * Of the records without a pool in the cache, those whose pool is gone on a fresh read and will
   * not be made: a manual pool's, an auto-pool's whose application is gone or was re-created
   * (another UID, so another pool name), or any while the subnet is being deleted. An application
   * the API server cannot answer for keeps its record.
   */
  private Set<String> confirmGone(List<String> orphans, ControlledPools current, boolean deleting) {
    Set<String> gone = new HashSet<>();
    for (String pool : orphans) {
      if (client.resources(SpiderIPPool.class).withName(pool).get() != null) {
        continue;
      }
      String app = current.get(pool).map(ControlledPools.Entry::application).orElse(null);
      if (deleting || app == null) {
        gone.add(pool);
        continue;
      }
      Optional<AppRef> ref = AppRef.parse(app);
      if (ref.isEmpty()) {
        gone.add(pool);
        continue;
      }
      try {
        Optional<String> uid = applications.uid(ref.get());
        if (uid.isEmpty() || !AutoPoolName.isFor(pool, uid.get())) {
          gone.add(pool);
        }
      } catch (RuntimeException unknown) {
        LOG.fine(() -> "keeping the record of " + pool + ": " + unknown.getMessage());
      }
    }
    return gone;
  }
}
