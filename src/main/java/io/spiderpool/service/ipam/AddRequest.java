// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.List;

/**
 * An allocation request, field for field Spiderpool's {@code IpamAddArgs} (agent API {@code POST
 * /v1/ipam/ip}). Pool lists are empty, never null.
 */
public record AddRequest(
    String containerId,
    String ifName,
    String netNamespace,
    String podNamespace,
    String podName,
    String podUid,
    List<String> defaultIpv4Pools,
    List<String> defaultIpv6Pools,
    boolean cleanGateway,
    boolean matchMasterSubnet) {

  public AddRequest {
    defaultIpv4Pools = defaultIpv4Pools == null ? List.of() : List.copyOf(defaultIpv4Pools);
    defaultIpv6Pools = defaultIpv6Pools == null ? List.of() : List.copyOf(defaultIpv6Pools);
  }
}
