// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pool candidate selection for one CNI ADD (docs/spiderpool-compat.md#candidate-priority), as a
 * pure function of a request snapshot and a pool catalog: sources by priority, wildcard expansion,
 * family gating, precheck, filtering with reasons, and ordering by specificity with the user's
 * order as tie-break.
 *
 * <p>SpiderSubnet (source #1) needs I/O to find the auto-created pool. The caller first asks {@link
 * #subnetRoute}; if it answers, the caller resolves the auto-pools and passes them with {@link
 * SelectionRequest#withSubnetAutoPools} before calling {@link #select}.
 */
public final class PoolSelector {
  private PoolSelector() {}

  /**
   * The SpiderSubnet item for the request's NIC when the subnet source applies (feature on, Pod
   * annotated); empty otherwise. An item with no family means the NIC gets no address from this
   * source, as in Spiderpool.
   *
   * @throws InvalidInputException when the annotation is invalid, the auto-pool feature is off, or
   *     the Pod has no controller
   */
  public static Optional<SubnetItem> subnetRoute(SelectionRequest request) {
    return SubnetSource.route(request);
  }

  /**
   * Selects the ordered candidate pools of every NIC this ADD allocates.
   *
   * @throws InvalidInputException for a malformed annotation, a pool listed twice for a NIC and
   *     family ("wrong input"), or a named pool that does not exist
   * @throws NoPoolAvailableException when no rule names a pool, or all pools of a NIC and family
   *     are filtered out (the message gives each pool's reason)
   */
  public static PoolSelection select(SelectionRequest request, PoolCatalog catalog) {
    RawCandidates raw = CandidateSources.gather(request, catalog);
    List<Map<IpFamily, List<PoolView>>> resolved = new ArrayList<>();
    for (RawCandidates.Nic nic : raw.nics()) {
      Map<IpFamily, List<String>> gated = gate(nic.names(), request.cluster());
      resolved.add(precheck(nic.nic(), gated, catalog, raw.source()));
    }
    List<NicCandidates> out = new ArrayList<>();
    for (int i = 0; i < raw.nics().size(); i++) {
      RawCandidates.Nic nic = raw.nics().get(i);
      Map<IpFamily, List<PoolView>> ordered = new EnumMap<>(IpFamily.class);
      resolved
          .get(i)
          .forEach(
              (family, pools) ->
                  ordered.put(family, filterAndOrder(pools, family, request, nic.nic())));
      out.add(new NicCandidates(nic.nic(), nic.cleanGateway(), ordered));
    }
    return new PoolSelection(raw.source(), raw.named(), out);
  }

  /** Families disabled in the cluster are dropped silently; so are empty lists. */
  private static Map<IpFamily, List<String>> gate(PoolNames names, ClusterConfig cluster) {
    Map<IpFamily, List<String>> gated = new EnumMap<>(IpFamily.class);
    for (IpFamily f : IpFamily.values()) {
      if (cluster.enabled(f) && !names.of(f).isEmpty()) {
        gated.put(f, names.of(f));
      }
    }
    return gated;
  }

  /** A name twice for one NIC and family is wrong input; a missing pool fails everything. */
  private static Map<IpFamily, List<PoolView>> precheck(
      String nic, Map<IpFamily, List<String>> names, PoolCatalog catalog, CandidateSource source) {
    Map<IpFamily, List<PoolView>> pools = new EnumMap<>(IpFamily.class);
    names.forEach(
        (family, list) -> {
          Set<String> seen = new HashSet<>();
          List<PoolView> views = new ArrayList<>();
          for (String name : list) {
            if (!seen.add(name)) {
              throw new InvalidInputException(
                  "wrong input, duplicate IPPool " + name + " specified for NIC " + nic);
            }
            views.add(
                catalog
                    .get(name)
                    .orElseThrow(
                        () ->
                            new InvalidInputException(
                                "failed to get original IPPool "
                                    + name
                                    + ": spiderippools.spiderpool.spidernet.io \""
                                    + name
                                    + "\" not found (named in "
                                    + source.origin(family)
                                    + "; create the IPPool or fix the name)")));
          }
          pools.put(family, views);
        });
    return pools;
  }

  private static List<PoolView> filterAndOrder(
      List<PoolView> pools, IpFamily family, SelectionRequest request, String nic) {
    List<PoolView> kept = new ArrayList<>();
    Set<String> reasons = new LinkedHashSet<>();
    for (PoolView pool : pools) {
      Optional<String> reason = PoolFilter.reject(pool, family, request, nic);
      if (reason.isPresent()) {
        reasons.add(reason.get());
      } else {
        kept.add(pool);
      }
    }
    if (kept.isEmpty()) {
      List<String> names = pools.stream().map(PoolView::name).toList();
      throw new NoPoolAvailableException(
          "no IPPool available, all "
              + family
              + " IPPools ["
              + String.join(" ", names)
              + "] of "
              + nic
              + " filtered out: "
              + aggregate(reasons));
    }
    kept.sort(PoolPriority.MOST_SPECIFIC_FIRST);
    return kept;
  }

  /** Kubernetes' error aggregate: one message as is, several as {@code [a, b]}. */
  private static String aggregate(Set<String> reasons) {
    String joined = String.join(", ", reasons);
    return reasons.size() == 1 ? joined : "[" + joined + "]";
  }
}
