// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.pool.PoolCatalog;
import java.util.List;

/** The pools known to the node (from a watch cache): for selection, not for allocation. */
public interface PoolDirectory {

  /** Every pool as a selection candidate. */
  PoolCatalog catalog();

  /** The {@code spec.routes} of a pool (empty when it has none or is unknown). */
  List<PoolStore.Route> routes(String pool);
}
