// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import java.util.List;

/**
 * {@code podResourceInject} of {@code conf.yml}: the Pod mutating webhook that injects Multus
 * networks and RDMA resources from SpiderMultusConfigs.
 */
public record PodResourceInject(
    boolean enabled, List<String> namespacesExclude, List<String> namespacesInclude) {

  /** The chart's defaults: off; system namespaces excluded; no include list. */
  public static final PodResourceInject DEFAULTS =
      new PodResourceInject(
          false, List.of("kube-system", "spiderpool", "metallb-system", "istio-system"), List.of());

  public PodResourceInject {
    namespacesExclude = List.copyOf(namespacesExclude);
    namespacesInclude = List.copyOf(namespacesInclude);
  }
}
