// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.ControlledPools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The validating rules of the SpiderSubnet feature (docs/subnet.md#webhooks), only with {@code
 * enableSpiderSubnet}. An auto-created pool (it carries {@code
 * ipam.spidernet.io/owner-application-name}): its {@code spec.ips} are exactly what its subnet's
 * {@code controlledIPPools} carved for it — the controller records the carve before it writes the
 * pool, so its own writes pass and nobody else's can change the size — and its {@code podAffinity}
 * names its application with the five {@code app-*} labels only and does not change. A subnet
 * UPDATE keeps every address carved out to a pool. (That pools lie inside their subnet and that
 * subnets never overlap is checked with the neighbours, {@link OverlapRules}.)
 */
public final class SubnetFeatureRules {
  private static final Set<String> APP_KEYS = new HashSet<>(AutoPoolLabels.podAffinityKeys());
  private final ClusterConfig config;

  public SubnetFeatureRules(ClusterConfig config) {
    this.config = Objects.requireNonNull(config);
  }

  /**
   * The subnet an auto-created pool names, whose record {@link #validate} needs; empty otherwise.
   */
  public Optional<String> subnetToRead(Operation op, AdmissionObject obj, AdmissionObject old) {
    if (!config.enableSpiderSubnet()
        || op == Operation.DELETE
        || obj == null
        || obj.kind() != AdmissionKind.IPPOOL
        || !isAuto(obj)
        || !ipsChange(op, obj, old)) {
      return Optional.empty();
    }
    return Optional.ofNullable(obj.labels().get(AutoPoolLabels.OWNER_SUBNET));
  }

  /**
   * @param subnet the stored subnet {@link #subnetToRead} named (empty when it does not exist or
   *     none was needed)
   */
  public void validate(
      Operation op, AdmissionObject obj, AdmissionObject old, Optional<AdmissionObject> subnet) {
    if (!config.enableSpiderSubnet() || op == Operation.DELETE || obj == null) {
      return;
    }
    if (obj.kind() == AdmissionKind.SUBNET && op == Operation.UPDATE && old != null) {
      keepsCarves(obj, old);
    }
    if (obj.kind() == AdmissionKind.IPPOOL && isAuto(obj)) {
      affinity(op, obj, old);
      if (ipsChange(op, obj, old)) {
        carvedIps(obj, subnet);
      }
    }
  }

  private static boolean isAuto(AdmissionObject pool) {
    return pool.labels().containsKey(AutoPoolLabels.OWNER_NAME);
  }

  private static boolean ipsChange(Operation op, AdmissionObject obj, AdmissionObject old) {
    return op == Operation.CREATE
        || old == null
        || !Objects.equals(obj.spec().ips(), old.spec().ips());
  }

  private static void affinity(Operation op, AdmissionObject obj, AdmissionObject old) {
    Map<String, String> labels = obj.podAffinityLabels();
    if (labels == null || !APP_KEYS.equals(labels.keySet()) || obj.podAffinityExpressions() > 0) {
      List<String> extra = new ArrayList<>();
      if (labels != null) {
        labels.keySet().stream().filter(k -> !APP_KEYS.contains(k)).sorted().forEach(extra::add);
      }
      throw Rejection.invalid(
          "spec.podAffinity of auto-created SpiderIPPool "
              + obj.name()
              + " must name its"
              + " application with exactly the matchLabels "
              + String.join(", ", AutoPoolLabels.podAffinityKeys())
              + " and no matchExpressions"
              + (extra.isEmpty() ? "" : "; remove " + String.join(", ", extra))
              + ": the controller sets it when it makes the pool");
    }
    if (op == Operation.UPDATE
        && old != null
        && isAuto(old)
        && (!labels.equals(old.podAffinityLabels())
            || obj.podAffinityExpressions() != old.podAffinityExpressions())) {
      throw Rejection.invalid(
          "spec.podAffinity of auto-created SpiderIPPool "
              + obj.name()
              + " cannot be edited:"
              + " keep "
              + old.podAffinityLabels()
              + "; to serve other Pods, use a pool of your own");
    }
  }

  private static void carvedIps(AdmissionObject pool, Optional<AdmissionObject> subnet) {
    String owner = pool.labels().get(AutoPoolLabels.OWNER_SUBNET);
    String how =
        "the size of an auto-created pool follows its application's replicas and"
            + " ipam.spidernet.io/ippool-ip-number; change those instead";
    if (owner == null || subnet.isEmpty()) {
      throw Rejection.invalid(
          "auto-created SpiderIPPool "
              + pool.name()
              + " names SpiderSubnet "
              + owner
              + ", which does not exist: auto-created pools are made by the controller from the subnet their"
              + " application names; for a pool of your own, leave out the ipam.spidernet.io/owner-application-*"
              + " labels");
    }
    ControlledPools controlled;
    Cidr cidr;
    RangeSet ips;
    try {
      controlled = ControlledPools.parse(subnet.get().controlledIpPools());
      cidr = Cidr.parse(pool.spec().subnet());
      ips = RangeList.parse("spec.ips", pool.spec().ips(), cidr);
    } catch (InvalidInputException malformed) {
      return; // the spec rules name what is malformed
    }
    Optional<ControlledPools.Entry> carve = controlled.get(pool.name());
    if (carve.isEmpty()) {
      throw Rejection.invalid(
          "SpiderSubnet "
              + owner
              + " has carved no addresses for auto-created SpiderIPPool "
              + pool.name()
              + ": "
              + how);
    }
    RangeSet carved;
    try {
      carved = carve.get().ips(cidr.family());
    } catch (InvalidInputException malformed) {
      return;
    }
    if (!carved.equals(ips)) {
      throw Rejection.invalid(
          "spec.ips of auto-created SpiderIPPool "
              + pool.name()
              + " must be the addresses"
              + " SpiderSubnet "
              + owner
              + " carved for it ("
              + String.join(",", carved.toStrings())
              + "): "
              + how);
    }
  }

  /**
   * docs/subnet.md#webhooks: a subnet UPDATE may not take away addresses carved out to its pools.
   */
  private static void keepsCarves(AdmissionObject obj, AdmissionObject old) {
    ControlledPools controlled;
    RangeSet kept;
    try {
      controlled = ControlledPools.parse(old.controlledIpPools());
      Cidr cidr = Cidr.parse(obj.spec().subnet());
      kept =
          RangeList.parse("spec.ips", obj.spec().ips(), cidr)
              .minus(RangeList.parse("spec.excludeIPs", obj.spec().excludeIps(), cidr));
    } catch (InvalidInputException malformed) {
      return; // the spec rules name what is malformed
    }
    for (Map.Entry<String, ControlledPools.Entry> e : controlled.entries().entrySet()) {
      RangeSet lost;
      try {
        lost = e.getValue().carved(kept.family()).minus(kept);
      } catch (InvalidInputException | IllegalArgumentException malformed) {
        continue;
      }
      if (!lost.isEmpty()) {
        throw Rejection.invalid(
            "spec.ips/spec.excludeIPs would take "
                + String.join(",", lost.toStrings())
                + " from SpiderSubnet "
                + obj.name()
                + ", but they are carved out to SpiderIPPool "
                + e.getKey()
                + ": keep them in spec.ips and out of spec.excludeIPs, or first scale down or delete what uses that"
                + " pool");
      }
    }
  }
}
