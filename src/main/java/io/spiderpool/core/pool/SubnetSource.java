// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.annotation.SubnetAnnotation;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source #1, the SpiderSubnet annotations. The pure half lives here (does it apply, is it valid,
 * which item belongs to this NIC); finding or creating the auto-pool needs the API server and
 * waiting, so the caller resolves it and passes the names in {@link
 * SelectionRequest#subnetAutoPools()}.
 */
final class SubnetSource {
  static final String PREFIX = "failed to get IPPool candidates from Subnet";

  private SubnetSource() {}

  /** The subnet item for the request's NIC when this source applies; see PoolSelector. */
  static Optional<SubnetItem> route(SelectionRequest r) {
    ClusterConfig c = r.cluster();
    Map<String, String> a = r.podAnnotations();
    if (!c.enableSpiderSubnet()
        || !(a.containsKey(IpamAnnotations.POD_SUBNETS)
            || a.containsKey(IpamAnnotations.POD_SUBNET))) {
      return Optional.empty();
    }
    if (!c.enableAutoPoolForApplication()) {
      throw new InvalidInputException(
          "it's invalid to use '"
              + IpamAnnotations.POD_SUBNETS
              + "' or '"
              + IpamAnnotations.POD_SUBNET
              + "' annotation when Auto-Pool feature is"
              + " disabled: remove the annotation or set enableAutoPoolForApplication: true in"
              + " ConfigMap spiderpool-conf");
    }
    SubnetAnnotation annotation;
    try {
      annotation = SubnetAnnotation.fromPod(a).orElseThrow();
      IpNumber.fromPod(a, c.clusterSubnetDefaultFlexibleIpNumber());
      GoBool.reclaimIpPool(a);
    } catch (InvalidInputException e) {
      throw e.in(PREFIX);
    }
    if (r.topController().isOrphanPod()) {
      throw new InvalidInputException(
          PREFIX
              + ": SpiderSubnet feature doesn't support"
              + " no-controller pod; run the Pod under a controller (Deployment, StatefulSet...) or"
              + " use ipam.spidernet.io/ippool");
    }
    return Optional.of(annotation.forNic(r.nic()).orElse(new SubnetItem(r.nic(), null, null)));
  }

  /** Candidates from the auto-pools the caller resolved, for enabled families only. */
  static RawCandidates candidates(SelectionRequest r, SubnetItem item) {
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (IpFamily f : IpFamily.values()) {
      Optional<String> subnet = item.subnet(f);
      if (subnet.isEmpty() || !r.cluster().enabled(f)) {
        continue;
      }
      String pool = r.subnetAutoPools().get(f);
      if (pool == null) {
        throw new IllegalStateException(
            "the auto-created "
                + f
                + " IPPool of SpiderSubnet "
                + subnet.get()
                + " must be resolved by the caller before selection"
                + " (SelectionRequest.subnetAutoPools)");
      }
      (f == IpFamily.V4 ? v4 : v6).add(pool);
    }
    return RawCandidates.single(
        CandidateSource.SUBNET_ANNOTATION, r.nic(), r.cniCleanGateway(), new PoolNames(v4, v6));
  }
}
