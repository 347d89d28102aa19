// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.net.IpFamily;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The decision for one NIC: per family, the pools to try in order (most specific first). A family
 * is absent when no source named a pool of it or it is disabled in the cluster; that is not an
 * error (single-stack allocation in a dual-stack cluster is allowed).
 *
 * @param nic the NIC name, or the item index ("0", "1"...) in unnamed {@code ippools} mode
 * @param cleanGateway whether this NIC must not get a default route
 */
public record NicCandidates(String nic, boolean cleanGateway, Map<IpFamily, List<PoolView>> pools) {

  public NicCandidates {
    Map<IpFamily, List<PoolView>> copy = new EnumMap<>(IpFamily.class);
    pools.forEach((f, list) -> copy.put(f, List.copyOf(list)));
    pools = Collections.unmodifiableMap(copy);
  }

  /** The ordered pools for {@code family}; empty when the NIC gets no address of it. */
  public List<PoolView> pools(IpFamily family) {
    return pools.getOrDefault(family, List.of());
  }

  /** The ordered pool names for {@code family}. */
  public List<String> poolNames(IpFamily family) {
    return pools(family).stream().map(PoolView::name).toList();
  }
}
