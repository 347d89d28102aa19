// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import java.util.List;
import java.util.Map;

/**
 * What the mutating webhook changes on an object; a null field is left as written.
 *
 * @param ipVersion {@code spec.ipVersion} to set
 * @param subnet {@code spec.subnet} respelled canonically (same network, e.g. {@code FD00:0::/64} →
 *     {@code fd00::/64})
 * @param ips {@code spec.ips} merged and sorted
 * @param excludeIps {@code spec.excludeIPs} merged and sorted
 * @param labels labels to add or overwrite
 * @param finalizer a finalizer to append
 */
public record Mutation(
    Long ipVersion,
    String subnet,
    List<String> ips,
    List<String> excludeIps,
    Map<String, String> labels,
    String finalizer) {

  public static final Mutation NONE = new Mutation(null, null, null, null, Map.of(), null);

  public Mutation {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public boolean isEmpty() {
    return equals(NONE);
  }
}
