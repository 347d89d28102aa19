// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.ControlledPools;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetStatus;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.Map;

/**
 * Reading SpiderSubnets and their pools into the core's terms, and the owner reference between
 * them.
 */
public final class SubnetObjects {
  private SubnetObjects() {}

  /** {@code spec.subnet}, parsed; a malformed one names the subnet. */
  public static Cidr cidr(SpiderSubnet s) {
    try {
      return Cidr.parse(s.getSpec().getSubnet());
    } catch (InvalidInputException e) {
      throw e.in("SpiderSubnet " + s.getMetadata().getName() + " spec.subnet");
    }
  }

  /** A pool's {@code spec.subnet}, parsed; a malformed one names the pool. */
  public static Cidr cidr(SpiderIPPool p) {
    try {
      return Cidr.parse(p.getSpec().getSubnet());
    } catch (InvalidInputException e) {
      throw e.in("SpiderIPPool " + p.getMetadata().getName() + " spec.subnet");
    }
  }

  /** The subnet's addresses: {@code ips} minus {@code excludeIPs}. */
  public static RangeSet addresses(SpiderSubnet s) {
    Cidr cidr = cidr(s);
    try {
      return RangeList.parse("spec.ips", s.getSpec().getIps(), cidr)
          .minus(RangeList.parse("spec.excludeIPs", s.getSpec().getExcludeIPs(), cidr));
    } catch (InvalidInputException e) {
      throw e.in("SpiderSubnet " + s.getMetadata().getName());
    }
  }

  /** {@code status.controlledIPPools}; a malformed one names the subnet. */
  public static ControlledPools controlled(SpiderSubnet s) {
    try {
      return ControlledPools.parse(
          s.getStatus() == null ? null : s.getStatus().getControlledIPPools());
    } catch (InvalidInputException e) {
      throw e.in("SpiderSubnet " + s.getMetadata().getName());
    }
  }

  /**
   * Sets {@code copy}'s status to record {@code controlled}, with both counters exact. The caller
   * passes its own copy: a watch cache's object must never be changed.
   */
  public static SpiderSubnet recordControlled(SpiderSubnet copy, ControlledPools controlled) {
    SpiderSubnetStatus st = copy.getStatus() == null ? new SpiderSubnetStatus() : copy.getStatus();
    st.setControlledIPPools(controlled.toJson());
    st.setAllocatedIPCount(controlled.carvedCount(cidr(copy).family()));
    st.setTotalIPCount(addresses(copy).sizeCapped());
    copy.setStatus(st);
    return copy;
  }

  /** A pool's {@code spec.ips} (not minus {@code excludeIPs}: that is what a resize rewrites). */
  public static RangeSet poolIps(SpiderIPPool p, Cidr cidr) {
    try {
      return RangeList.parse("spec.ips", p.getSpec().getIps(), cidr);
    } catch (InvalidInputException e) {
      throw e.in("SpiderIPPool " + p.getMetadata().getName());
    }
  }

  /** The pool's allocated addresses of {@code family}. */
  public static RangeSet allocated(SpiderIPPool p, IpFamily family) {
    try {
      return PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs())
          .used(family);
    } catch (InvalidInputException e) {
      throw e.in("SpiderIPPool " + p.getMetadata().getName());
    }
  }

  /** The subnet a pool belongs to: its controller owner reference, else its owner label. */
  public static String ownerSubnet(SpiderIPPool p) {
    if (p.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference o : p.getMetadata().getOwnerReferences()) {
        if ("SpiderSubnet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController())) {
          return o.getName();
        }
      }
    }
    Map<String, String> labels = p.getMetadata().getLabels();
    return labels == null ? null : labels.get(AutoPoolLabels.OWNER_SUBNET);
  }

  /** Whether a pool is an auto-created one (it names its application). */
  public static boolean isAutoPool(SpiderIPPool p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return labels != null && labels.containsKey(AutoPoolLabels.OWNER_NAME);
  }

  /** The controller owner reference a pool of {@code s} carries, as Spiderpool sets it. */
  public static OwnerReference ownerReference(SpiderSubnet s) {
    return new OwnerReferenceBuilder()
        .withApiVersion(SpiderpoolApi.GROUP + "/" + SpiderpoolApi.VERSION)
        .withKind("SpiderSubnet")
        .withName(s.getMetadata().getName())
        .withUid(s.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
