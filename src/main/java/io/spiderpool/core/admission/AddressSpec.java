// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import java.util.List;

/**
 * The spec fields the admission rules read, as written by the user (nothing parsed yet). Pools use
 * every field; subnets all but {@code podAffinityEmpty}; reserved IPs only {@code ipVersion} and
 * {@code ips}. Absent fields are null, so absent and empty stay distinct.
 *
 * @param podAffinityEmpty true when {@code spec.podAffinity} is present but selects nothing ({@code
 *     {}}), which would match every Pod
 */
public record AddressSpec(
    Long ipVersion,
    String subnet,
    List<String> ips,
    List<String> excludeIps,
    String gateway,
    List<RouteSpec> routes,
    boolean podAffinityEmpty) {

  /** A spec with only a subnet and ranges (tests, claims). */
  public static AddressSpec of(String subnet, List<String> ips, List<String> excludeIps) {
    return new AddressSpec(null, subnet, ips, excludeIps, null, null, false);
  }

  public AddressSpec withIpVersion(Long v) {
    return new AddressSpec(v, subnet, ips, excludeIps, gateway, routes, podAffinityEmpty);
  }

  public AddressSpec withSubnet(String s) {
    return new AddressSpec(ipVersion, s, ips, excludeIps, gateway, routes, podAffinityEmpty);
  }

  public AddressSpec withIps(List<String> v) {
    return new AddressSpec(ipVersion, subnet, v, excludeIps, gateway, routes, podAffinityEmpty);
  }

  public AddressSpec withExcludeIps(List<String> v) {
    return new AddressSpec(ipVersion, subnet, ips, v, gateway, routes, podAffinityEmpty);
  }

  public AddressSpec withGateway(String g) {
    return new AddressSpec(ipVersion, subnet, ips, excludeIps, g, routes, podAffinityEmpty);
  }

  public AddressSpec withRoutes(List<RouteSpec> r) {
    return new AddressSpec(ipVersion, subnet, ips, excludeIps, gateway, r, podAffinityEmpty);
  }

  public AddressSpec withPodAffinityEmpty(boolean empty) {
    return new AddressSpec(ipVersion, subnet, ips, excludeIps, gateway, routes, empty);
  }
}
