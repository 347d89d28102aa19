// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.PoolNames;
import java.util.List;

/** Pool names per NIC as the winning source gave them (wildcards expanded), before checks. */
record RawCandidates(CandidateSource source, boolean named, List<Nic> nics) {

  RawCandidates {
    nics = List.copyOf(nics);
  }

  /** One NIC's names from the source. */
  record Nic(String nic, boolean cleanGateway, PoolNames names) {}

  static RawCandidates single(CandidateSource source, String nic, boolean clean, PoolNames n) {
    return new RawCandidates(source, true, List.of(new Nic(nic, clean, n)));
  }
}
