// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;

/**
 * An extra route from {@code ipam.spidernet.io/routes}. It is attached to the NIC whose allocated
 * subnet contains {@code gw}. {@code dst} keeps host bits as written (Go's ParseCIDR accepts them
 * too), so the route is passed on exactly as the user wrote it.
 */
public record PodRoute(Cidr.Prefixed dst, IpAddress gw) {

  public PodRoute {
    if (dst.address().family() != gw.family()) {
      throw new IllegalArgumentException("route " + dst + " via " + gw + " mixes families");
    }
  }

  public IpFamily family() {
    return gw.family();
  }
}
