// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import java.util.Comparator;

/**
 * Step 4 of selection: most specific pools first. Compares, in order, whether each pool has
 * podAffinity, nodeName, nodeAffinity, namespaceName, namespaceAffinity, multusName (having it
 * sorts first), exactly as Spiderpool's {@code ByPoolPriority.Less}. Spiderpool sorts unstably from
 * a map, so equally specific pools come out in random order; used with a stable sort this
 * comparator keeps them in the order the user wrote (docs/spiderpool-compat.md#pool-order).
 */
final class PoolPriority {
  static final Comparator<PoolView> MOST_SPECIFIC_FIRST =
      Comparator.comparing((PoolView p) -> p.podAffinity() == null)
          .thenComparing(p -> p.nodeNames().isEmpty())
          .thenComparing(p -> p.nodeAffinity() == null)
          .thenComparing(p -> p.namespaceNames().isEmpty())
          .thenComparing(p -> p.namespaceAffinity() == null)
          .thenComparing(p -> p.multusNames().isEmpty());

  private PoolPriority() {}
}
