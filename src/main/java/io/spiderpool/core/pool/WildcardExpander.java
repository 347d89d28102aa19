// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands wildcard pool names in place against the pools of the matching family, sorted by name;
 * literal names stay where they were written. A pattern matching nothing contributes nothing.
 */
final class WildcardExpander {
  private WildcardExpander() {}

  static PoolNames expand(PoolNames names, PoolCatalog catalog, CandidateSource source) {
    return new PoolNames(
        expand(names.ipv4(), IpFamily.V4, catalog, source),
        expand(names.ipv6(), IpFamily.V6, catalog, source));
  }

  static List<String> expand(
      List<String> names, IpFamily family, PoolCatalog catalog, CandidateSource source) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (!GlobPattern.hasWildcard(name)) {
        out.add(name);
        continue;
      }
      GlobPattern pattern;
      try {
        pattern = GlobPattern.compile(name);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(
            "wrong input, "
                + family
                + " IPPool name in "
                + source.origin(family)
                + ": "
                + e.getMessage(),
            e);
      }
      for (PoolView pool : catalog.ofFamily(family)) {
        if (pattern.matches(pool.name())) {
          out.add(pool.name());
        }
      }
    }
    return out;
  }
}
