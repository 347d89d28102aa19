// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import java.util.List;

/**
 * The {@code ipam} section of the network configuration, Spiderpool's keys with Spiderpool's
 * defaults (docs/spiderpool-compat.md#cni-configuration-keys). Numbers and booleans may also be
 * written as JSON strings ({@code "100"}, {@code "true"}), the form Spiderpool's own docs show.
 */
public record IpamConf(
    String logLevel,
    String logFilePath,
    int logFileMaxSizeMb,
    int logFileMaxAgeDays,
    int logFileMaxCount,
    String socketPath,
    List<String> defaultIpv4Pools,
    List<String> defaultIpv6Pools,
    boolean cleanGateway,
    boolean matchMasterSubnet) {

  /** Spiderpool's code default (its docs say INFO). */
  public static final String DEFAULT_LOG_LEVEL = "debug";

  public static final int DEFAULT_MAX_SIZE_MB = 100;
  public static final int DEFAULT_MAX_AGE_DAYS = 30;
  public static final int DEFAULT_MAX_COUNT = 10;

  public IpamConf {
    defaultIpv4Pools = List.copyOf(defaultIpv4Pools);
    defaultIpv6Pools = List.copyOf(defaultIpv6Pools);
  }
}
