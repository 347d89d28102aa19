// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import java.util.List;
import java.util.Optional;

/**
 * The result of pool selection for one CNI ADD: one entry per NIC to allocate in this call (all
 * NICs of an {@code ippools} annotation, otherwise only the NIC being set up).
 *
 * @param namedInterfaces false in unnamed {@code ippools} mode, where NICs are "0", "1"... until
 *     the ADDs for the real interfaces claim them
 */
public record PoolSelection(
    CandidateSource source, boolean namedInterfaces, List<NicCandidates> nics) {

  public PoolSelection {
    nics = List.copyOf(nics);
  }

  public Optional<NicCandidates> forNic(String nic) {
    return nics.stream().filter(n -> n.nic().equals(nic)).findFirst();
  }
}
