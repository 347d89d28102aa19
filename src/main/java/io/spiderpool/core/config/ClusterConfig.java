// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import io.spiderpool.core.net.IpFamily;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed, immutable {@code conf.yml} of the {@code spiderpool-conf} ConfigMap. Read once at
 * start (Spiderpool needs a restart after a change too). Defaults are the Helm chart's, because the
 * chart always renders every key; see {@link ClusterConfigReader} for how a document maps.
 *
 * @param clusterSubnetDefaultFlexibleIpNumber N of flexible auto-pools (replicas + N) when a Pod
 *     has no {@code ippool-ip-number}; read from either spelling of the key
 *     (docs/spiderpool-compat.md#flexible-ip-number-key)
 * @param legacyDefaultIpv4Pools deprecated {@code clusterDefaultIPv4IPPool}: cluster default pools
 *     from before {@code spec.default}; empty unless an old ConfigMap sets it
 * @param iaasNetworkProvider the {@code iaasNetworkProvider} section, kept as written (only {@code
 *     serverUrl} and {@code httpRequestTimeout} are typed, below)
 * @param agent the {@code agent} section (device-plugin resources), kept as written
 * @param deprecatedKeys deprecated keys that were present, for the caller to warn about
 * @param unknownKeys keys this version does not know (dotted paths), for the caller to warn about
 */
public record ClusterConfig(
    String ipamUnixSocketPath,
    boolean enableIpv4,
    boolean enableIpv6,
    boolean enableStatefulSet,
    boolean enableKubevirtStaticIp,
    boolean enableSpiderSubnet,
    boolean enableAutoPoolForApplication,
    boolean enableCleanOutdatedEndpoint,
    boolean enableIpConflictDetection,
    boolean enableGatewayDetection,
    boolean enableValidatingResourcesDeletedWebhook,
    boolean tuneSysctlConfig,
    int clusterSubnetDefaultFlexibleIpNumber,
    PodResourceInject podResourceInject,
    String iaasServerUrl,
    String iaasHttpRequestTimeout,
    Map<String, Object> iaasNetworkProvider,
    Map<String, Object> agent,
    List<String> legacyDefaultIpv4Pools,
    List<String> legacyDefaultIpv6Pools,
    List<String> deprecatedKeys,
    List<String> unknownKeys) {

  /** The agent socket when {@code ipamUnixSocketPath} is absent or empty. */
  public static final String DEFAULT_SOCKET_PATH = "/var/run/spidernet/spiderpool.sock";

  /** Everything at the chart's defaults (an empty {@code conf.yml}). */
  public static final ClusterConfig DEFAULTS = builder().build();

  public ClusterConfig {
    iaasNetworkProvider = frozen(iaasNetworkProvider);
    agent = frozen(agent);
    legacyDefaultIpv4Pools = List.copyOf(legacyDefaultIpv4Pools);
    legacyDefaultIpv6Pools = List.copyOf(legacyDefaultIpv6Pools);
    deprecatedKeys = List.copyOf(deprecatedKeys);
    unknownKeys = List.copyOf(unknownKeys);
  }

  /** YAML sections may hold nulls, which Map.copyOf refuses. */
  private static Map<String, Object> frozen(Map<String, Object> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** Whether allocation of {@code family} is enabled; candidates of a disabled one are dropped. */
  public boolean enabled(IpFamily family) {
    return family == IpFamily.V4 ? enableIpv4 : enableIpv6;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable companion for building a config (the reader and tests use it). */
  public static final class Builder {
    String ipamUnixSocketPath = DEFAULT_SOCKET_PATH;
    boolean enableIpv4 = true;
    boolean enableIpv6 = true;
    boolean enableStatefulSet = true;
    boolean enableKubevirtStaticIp = true;
    boolean enableSpiderSubnet = true;
    boolean enableAutoPoolForApplication = true;
    boolean enableCleanOutdatedEndpoint;
    boolean enableIpConflictDetection;
    boolean enableGatewayDetection;
    boolean enableValidatingResourcesDeletedWebhook;
    boolean tuneSysctlConfig = true;
    int flexibleIpNumber = 1;
    PodResourceInject podResourceInject = PodResourceInject.DEFAULTS;
    String iaasServerUrl = "";
    String iaasHttpRequestTimeout = "30s";
    Map<String, Object> iaasNetworkProvider = Map.of();
    Map<String, Object> agent = Map.of();
    List<String> legacyV4 = List.of();
    List<String> legacyV6 = List.of();
    List<String> deprecated = List.of();
    List<String> unknown = List.of();

    private Builder() {}

    public Builder families(boolean ipv4, boolean ipv6) {
      this.enableIpv4 = ipv4;
      this.enableIpv6 = ipv6;
      return this;
    }

    public Builder spiderSubnet(boolean subnet, boolean autoPool) {
      this.enableSpiderSubnet = subnet;
      this.enableAutoPoolForApplication = autoPool;
      return this;
    }

    /** {@code enableValidatingResourcesDeletedWebhook}: refuse deleting pools/subnets in use. */
    public Builder validatingDeletion(boolean refuseInUse) {
      this.enableValidatingResourcesDeletedWebhook = refuseInUse;
      return this;
    }

    public Builder flexibleIpNumber(int n) {
      this.flexibleIpNumber = n;
      return this;
    }

    public Builder legacyDefaultPools(List<String> ipv4, List<String> ipv6) {
      this.legacyV4 = ipv4;
      this.legacyV6 = ipv6;
      return this;
    }

    public ClusterConfig build() {
      return new ClusterConfig(
          ipamUnixSocketPath,
          enableIpv4,
          enableIpv6,
          enableStatefulSet,
          enableKubevirtStaticIp,
          enableSpiderSubnet,
          enableAutoPoolForApplication,
          enableCleanOutdatedEndpoint,
          enableIpConflictDetection,
          enableGatewayDetection,
          enableValidatingResourcesDeletedWebhook,
          tuneSysctlConfig,
          flexibleIpNumber,
          podResourceInject,
          iaasServerUrl,
          iaasHttpRequestTimeout,
          iaasNetworkProvider,
          agent,
          legacyV4,
          legacyV6,
          deprecated,
          unknown);
    }
  }
}
