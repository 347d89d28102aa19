// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.error.InvalidInputException;

/**
 * The {@code ipam.spidernet.io/*} annotation keys, spelled exactly as Spiderpool spells them so
 * existing Pod templates and Namespaces keep working.
 */
public final class IpamAnnotations {
  public static final String PREFIX = "ipam.spidernet.io/";

  /** Pod: {@code {"ipv4":[..],"ipv6":[..]}}, pools for whichever NIC is being set up. */
  public static final String POD_IPPOOL = PREFIX + "ippool";

  /** Pod: per-NIC pools, {@code [{"interface":"eth0","ipv4":[..],"cleangateway":true},..]}. */
  public static final String POD_IPPOOLS = PREFIX + "ippools";

  /** Pod: extra routes, {@code [{"dst":"10.0.0.0/16","gw":"192.168.1.1"}]}. */
  public static final String POD_ROUTES = PREFIX + "routes";

  /** Pod: SpiderSubnet auto-pool for one NIC. */
  public static final String POD_SUBNET = PREFIX + "subnet";

  /** Pod: SpiderSubnet auto-pools for several NICs. */
  public static final String POD_SUBNETS = PREFIX + "subnets";

  /** Pod: auto-pool size, {@code "N"} fixed or {@code "+N"} replicas + N. */
  public static final String POD_IPPOOL_IP_NUMBER = PREFIX + "ippool-ip-number";

  /** Pod: delete the auto-pool with its application (Go ParseBool syntax; default true). */
  public static final String POD_IPPOOL_RECLAIM = PREFIX + "ippool-reclaim";

  /** Pod: the NIC that carries the default route (coordinator). */
  public static final String POD_DEFAULT_ROUTE_NIC = PREFIX + "default-route-nic";

  /** Pod: reserved by Spiderpool, never implemented there; read by nobody here either. */
  public static final String POD_DNS = PREFIX + "dns";

  /** Namespace: default IPv4 pools, a JSON array of names (wildcards allowed). */
  public static final String NS_DEFAULT_IPV4_IPPOOL = PREFIX + "default-ipv4-ippool";

  /** Namespace: default IPv6 pools. */
  public static final String NS_DEFAULT_IPV6_IPPOOL = PREFIX + "default-ipv6-ippool";

  /**
   * The most NICs {@code ippools} or {@code subnets} may list (ours; Spiderpool has no limit). The
   * first ADD allocates for every item, so without a bound one Pod's annotation — Kubernetes
   * accepts 256 KiB, room for thousands of items — could take a pool's addresses in one call and
   * write an endpoint too large to store (docs/reliability.md, "Annotations").
   */
  public static final int MAX_NICS = 64;

  /** Refuses an item list longer than {@link #MAX_NICS}. */
  static void checkNicCount(int items) {
    if (items > MAX_NICS) {
      throw new InvalidInputException(
          "value lists "
              + items
              + " NICs; at most "
              + MAX_NICS
              + " are allowed, as the first ADD allocates for all of them");
    }
  }

  private IpamAnnotations() {}
}
