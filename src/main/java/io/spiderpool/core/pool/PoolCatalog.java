// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of all pools, indexed the ways selection looks them up: by name, by family
 * (for wildcard expansion) and the {@code spec.default} ones. Listings are sorted by name, so
 * expansion and cluster defaults come out in the same order on every node and every run (Spiderpool
 * uses its cache's listing order, which is not stable).
 */
public final class PoolCatalog {
  private final Map<String, PoolView> byName;
  private final Map<IpFamily, List<PoolView>> byFamily;
  private final List<PoolView> defaults;

  private PoolCatalog(Collection<PoolView> pools) {
    Map<String, PoolView> names = new HashMap<>();
    List<PoolView> sorted = new ArrayList<>(pools);
    sorted.sort(Comparator.comparing(PoolView::name));
    Map<IpFamily, List<PoolView>> families = new EnumMap<>(IpFamily.class);
    for (IpFamily f : IpFamily.values()) {
      families.put(f, sorted.stream().filter(p -> p.family() == f).toList());
    }
    for (PoolView p : sorted) {
      if (names.put(p.name(), p) != null) {
        throw new IllegalArgumentException("two pools are named " + p.name());
      }
    }
    this.byName = Map.copyOf(names);
    this.byFamily = families;
    this.defaults = sorted.stream().filter(PoolView::isDefault).toList();
  }

  /** A catalog of {@code pools}; names must be unique. */
  public static PoolCatalog of(Collection<PoolView> pools) {
    return new PoolCatalog(pools);
  }

  public Optional<PoolView> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Pools whose {@code spec.ipVersion} is {@code family}, sorted by name. */
  public List<PoolView> ofFamily(IpFamily family) {
    return byFamily.get(family);
  }

  /** Pools with {@code spec.default: true}, sorted by name. */
  public List<PoolView> defaults() {
    return defaults;
  }

  public int size() {
    return byName.size();
  }
}
