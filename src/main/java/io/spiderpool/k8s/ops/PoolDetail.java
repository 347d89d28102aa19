// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

import java.util.List;

/** One pool's usage and its records (docs/cli.md#spiderpool-pool-show). */
public record PoolDetail(PoolUsage usage, List<Holder> records) {

  public PoolDetail {
    records = List.copyOf(records);
  }

  /** One record, with the node and interface its SpiderEndpoint names ("" when none). */
  public record Holder(String ip, String pod, String podUid, String node, String interfaceName) {}
}
