// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.check;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@link ConsistencyChecker#check()} found, with how much it read.
 *
 * @param pools SpiderIPPools read
 * @param endpoints SpiderEndpoints read
 * @param pods Pods read
 * @param records pool records read
 * @param found every inconsistency, in a stable order (kind, pool, address, Pod)
 */
public record ConsistencyReport(
    int pools, int endpoints, int pods, int records, List<Inconsistency> found) {

  public ConsistencyReport {
    found = List.copyOf(found);
  }

  public boolean consistent() {
    return found.isEmpty();
  }

  /** The inconsistencies of one kind. */
  public List<Inconsistency> of(Inconsistency.Kind kind) {
    return found.stream().filter(i -> i.kind() == kind).toList();
  }

  /** How many of each kind (kinds with none left out). */
  public Map<Inconsistency.Kind, Integer> counts() {
    Map<Inconsistency.Kind, Integer> out = new EnumMap<>(Inconsistency.Kind.class);
    for (Inconsistency i : found) {
      out.merge(i.kind(), 1, Integer::sum);
    }
    return out;
  }
}
