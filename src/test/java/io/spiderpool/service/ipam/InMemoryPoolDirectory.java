// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.pool.PoolCatalog;
import io.spiderpool.core.pool.PoolView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's view of the pools for selection, in memory (what the watch cache gives in production).
 */
final class InMemoryPoolDirectory implements PoolDirectory {
  private final Map<String, PoolView> views = new ConcurrentHashMap<>();
  private final Map<String, List<PoolStore.Route>> routes = new ConcurrentHashMap<>();

  void put(PoolView view, List<PoolStore.Route> poolRoutes) {
    views.put(view.name(), view);
    routes.put(view.name(), List.copyOf(poolRoutes));
  }

  @Override
  public PoolCatalog catalog() {
    return PoolCatalog.of(views.values());
  }

  @Override
  public List<PoolStore.Route> routes(String pool) {
    return routes.getOrDefault(pool, List.of());
  }
}
