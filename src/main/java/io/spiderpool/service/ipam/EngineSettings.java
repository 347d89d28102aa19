// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.config.ClusterConfig;

/**
 * The node daemon's settings the engine uses.
 *
 * @param config the {@code spiderpool-conf} ConfigMap keys
 * @param agentNamespace where Spiderpool runs: a bare {@code multusName} points there
 * @param multusClusterNetwork {@code MULTUS_CLUSTER_NETWORK} ({@code ns/name}) or null
 * @param maxRecordsPerPool {@code SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS}
 * @param releaseConflictIpsEnabled {@code SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS}
 * @param nodeName the node this engine serves: its Pods, its Node and all namespaces are watched so
 *     that an ADD reads them from memory; null watches nothing (every read goes to the API)
 */
public record EngineSettings(
    ClusterConfig config,
    String agentNamespace,
    String multusClusterNetwork,
    int maxRecordsPerPool,
    boolean releaseConflictIpsEnabled,
    String nodeName) {

  /** Spiderpool's defaults, for a given ConfigMap. */
  public static EngineSettings defaults(ClusterConfig config) {
    return new EngineSettings(config, "kube-system", null, 5000, true, null);
  }
}
