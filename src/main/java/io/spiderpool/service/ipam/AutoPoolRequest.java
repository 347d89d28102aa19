// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.TopController;
import java.util.List;

/**
 * What an ADD asks of {@link AutoPools}: the Pod's application and its subnet item for this NIC.
 *
 * @param number the Pod template's {@code ippool-ip-number} (or the cluster's flexible default)
 * @param reclaim the Pod template's {@code ippool-reclaim}
 * @param families the enabled families the item names a subnet for
 */
public record AutoPoolRequest(
    TopController app,
    SubnetItem item,
    IpNumber number,
    boolean reclaim,
    String podUid,
    List<IpFamily> families) {

  public AutoPoolRequest {
    families = List.copyOf(families);
  }
}
