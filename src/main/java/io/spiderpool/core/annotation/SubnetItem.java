// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.net.IpFamily;
import java.util.Optional;

/**
 * One NIC's SpiderSubnet request from {@code ipam.spidernet.io/subnet(s)}: at most one subnet name
 * per family (Spiderpool uses only the first name written).
 *
 * @param nic the interface; "eth0" when the single-NIC annotation omits it, possibly empty in the
 *     multi-NIC one
 * @param ipv4Subnet the IPv4 SpiderSubnet name, or null
 * @param ipv6Subnet the IPv6 SpiderSubnet name, or null
 */
public record SubnetItem(String nic, String ipv4Subnet, String ipv6Subnet) {

  /** The subnet name for {@code family}, if one was given. */
  public Optional<String> subnet(IpFamily family) {
    return Optional.ofNullable(family == IpFamily.V4 ? ipv4Subnet : ipv6Subnet);
  }
}
