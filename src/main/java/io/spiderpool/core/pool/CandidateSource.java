// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.net.IpFamily;

/**
 * Where a NIC's candidate pools came from, highest priority first; the first source present wins
 * (docs/spiderpool-compat.md#candidate-priority). {@link #LEGACY_CLUSTER_DEFAULT} is our addition
 * for old ConfigMaps.
 */
public enum CandidateSource {
  /** {@code ipam.spidernet.io/subnet(s)}: the application's auto-created pools. */
  SUBNET_ANNOTATION,
  /** {@code ipam.spidernet.io/ippools}: every NIC at once. */
  IPPOOLS_ANNOTATION,
  /** {@code ipam.spidernet.io/ippool}: the NIC being set up. */
  IPPOOL_ANNOTATION,
  /** The namespace's {@code default-ipv4-ippool} / {@code default-ipv6-ippool}. */
  NAMESPACE_ANNOTATION,
  /** {@code default_ipv4_ippool} / {@code default_ipv6_ippool} of the CNI config. */
  CNI_CONFIG,
  /** Deprecated {@code clusterDefaultIPv4IPPool} / {@code IPv6} of the ConfigMap. */
  LEGACY_CLUSTER_DEFAULT,
  /** Every pool with {@code spec.default: true}. */
  CLUSTER_DEFAULT_POOLS;

  /** Where the user wrote the names of {@code family}, for error messages. */
  public String origin(IpFamily family) {
    String v = String.valueOf(family.version());
    return switch (this) {
      case SUBNET_ANNOTATION -> "Pod annotation " + IpamAnnotations.POD_SUBNET + "(s)";
      case IPPOOLS_ANNOTATION -> "Pod annotation " + IpamAnnotations.POD_IPPOOLS;
      case IPPOOL_ANNOTATION -> "Pod annotation " + IpamAnnotations.POD_IPPOOL;
      case NAMESPACE_ANNOTATION ->
          "Namespace annotation " + IpamAnnotations.PREFIX + "default-ipv" + v + "-ippool";
      case CNI_CONFIG -> "CNI config default_ipv" + v + "_ippool";
      case LEGACY_CLUSTER_DEFAULT -> "ConfigMap spiderpool-conf clusterDefaultIPv" + v + "IPPool";
      case CLUSTER_DEFAULT_POOLS -> "IPPools with spec.default: true";
    };
  }
}
