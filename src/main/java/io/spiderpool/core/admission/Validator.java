// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validating webhook's rules (docs/spiderpool-compat.md#webhook-validation). {@link #validate}
 * returns when the request is admitted and throws a {@link Rejection} otherwise. The rules that
 * need other objects run only when {@link #needsNeighbours} says so; the caller lists them (and the
 * claims of objects admitted a moment ago) only then.
 *
 * <p>The rules that need a subnet's {@code controlledIPPools} (auto-created pools, carved
 * addresses) are {@link SubnetFeatureRules}.
 */
public final class Validator {
  private final ClusterConfig config;

  public Validator(ClusterConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  /**
   * Whether the request changes the address space a pool or subnet claims, so that it must be
   * checked against (and claimed among) the others: a CREATE, or an UPDATE of subnet or ranges.
   */
  public static boolean needsNeighbours(Operation op, AdmissionObject obj, AdmissionObject old) {
    if (obj == null || obj.kind() == AdmissionKind.RESERVED_IP || op == Operation.DELETE) {
      return false;
    }
    if (op == Operation.CREATE || old == null) {
      return true;
    }
    AddressSpec a = obj.spec();
    AddressSpec b = old.spec();
    return !Objects.equals(a.subnet(), b.subnet())
        || !Objects.equals(a.ips(), b.ips())
        || !Objects.equals(a.excludeIps(), b.excludeIps());
  }

  /**
   * @param obj the object after mutation (for DELETE: the stored object)
   * @param old the stored object (UPDATE, DELETE), else null
   * @param others all other pools and subnets and the live claims; read only when {@link
   *     #needsNeighbours} is true
   */
  public void validate(
      Operation op, AdmissionObject obj, AdmissionObject old, List<Neighbour> others) {
    if (op == Operation.DELETE) {
      deletion(old != null ? old : obj);
      return;
    }
    if (op == Operation.UPDATE && old != null) {
      update(obj, old);
    }
    switch (obj.kind()) {
      case RESERVED_IP -> SpecRules.reservedIps(obj.spec(), config);
      case IPPOOL -> {
        SpecRules.Checked c = SpecRules.subnetSpec(obj.spec(), config);
        SpecRules.podAffinity(obj.spec());
        if (op == Operation.UPDATE && old != null) {
          keepsAllocated(c, old);
        }
        if (needsNeighbours(op, obj, old)) {
          OverlapRules.pool(
              obj.name(), c.space().subnet(), c.usable(), others, config.enableSpiderSubnet());
        }
      }
      case SUBNET -> {
        SpecRules.Checked c = SpecRules.subnetSpec(obj.spec(), config);
        if (needsNeighbours(op, obj, old)) {
          OverlapRules.subnet(obj.name(), c.space().subnet(), c.usable(), others);
        }
      }
    }
  }

  private void deletion(AdmissionObject obj) {
    if (!config.enableValidatingResourcesDeletedWebhook()
        || obj.kind() == AdmissionKind.RESERVED_IP
        || obj.allocatedIpCount() <= 0) {
      return;
    }
    String what = obj.kind() == AdmissionKind.IPPOOL ? "allocated IPs" : "IPs carved out to pools";
    throw Rejection.forbidden(
        obj.kind()
            + " "
            + obj.name()
            + " still has "
            + obj.allocatedIpCount()
            + " "
            + what
            + ": release them first (delete the pods or pools using it), or set"
            + " enableValidatingResourcesDeletedWebhook: false so that the finalizer holds it until"
            + " they are released");
  }

  private static void update(AdmissionObject obj, AdmissionObject old) {
    if (obj.kind() != AdmissionKind.RESERVED_IP
        && obj.terminating()
        && obj.finalizers().contains(Mutator.FINALIZER)) {
      throw Rejection.forbidden(
          obj.kind()
              + " "
              + obj.name()
              + " is being deleted: it can no longer"
              + " be changed (only its finalizer "
              + Mutator.FINALIZER
              + " can be removed)");
    }
    Long was = old.spec().ipVersion();
    if (was != null && !was.equals(obj.spec().ipVersion())) {
      throw Rejection.invalid(
          "spec.ipVersion is immutable: it was "
              + was
              + "; keep "
              + was
              + " or create a new "
              + obj.kind());
    }
    String subnet = old.spec().subnet();
    if (subnet != null && !subnet.equals(obj.spec().subnet())) {
      throw Rejection.invalid(
          "spec.subnet is immutable: it was "
              + subnet
              + "; keep "
              + subnet
              + " or create a new "
              + obj.kind()
              + " for "
              + obj.spec().subnet());
    }
  }

  /** An UPDATE may neither drop nor exclude an address that a pod holds. */
  private static void keepsAllocated(SpecRules.Checked c, AdmissionObject old) {
    PoolRecords records;
    try {
      records = PoolRecords.parse(old.allocatedIps());
    } catch (InvalidInputException e) {
      return; // nothing we can protect; the GC and the agent report the broken status
    }
    for (Map.Entry<String, PoolRecord> e : records.asMap().entrySet()) {
      IpAddress ip = IpAddress.parse(e.getKey());
      String holder = e.getValue().pod() + " (uid " + e.getValue().podUid() + ")";
      if (!c.space().ips().contains(ip)) {
        throw Rejection.invalid(
            "spec.ips: "
                + ip
                + " is allocated to pod "
                + holder
                + ": keep it in"
                + " spec.ips until the pod has released it");
      }
      if (c.space().excluded().contains(ip)) {
        throw Rejection.invalid(
            "spec.excludeIPs: "
                + ip
                + " is allocated to pod "
                + holder
                + ": exclude it only after the pod has released it");
      }
    }
  }
}
