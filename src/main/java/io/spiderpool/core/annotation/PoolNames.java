// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Map;

/**
 * Ordered IPv4 and IPv6 pool names (literal or wildcard) as written by the user; either list may be
 * empty. The shape shared by the {@code ippool} annotation, each {@code ippools} item, the
 * namespace defaults and the CNI config defaults.
 */
public record PoolNames(List<String> ipv4, List<String> ipv6) {
  /** No pools of either family. */
  public static final PoolNames NONE = new PoolNames(List.of(), List.of());

  public PoolNames {
    ipv4 = ipv4 == null ? List.of() : List.copyOf(ipv4);
    ipv6 = ipv6 == null ? List.of() : List.copyOf(ipv6);
  }

  /** The names for {@code family}. */
  public List<String> of(IpFamily family) {
    return family == IpFamily.V4 ? ipv4 : ipv6;
  }

  /** True when neither family names a pool. */
  public boolean isEmpty() {
    return ipv4.isEmpty() && ipv6.isEmpty();
  }

  /** Reads {@code ipv4}/{@code ipv6} members of an annotation object; {@code at} prefixes paths. */
  static PoolNames fromObject(Map<String, Object> object, String at) {
    return new PoolNames(
        names(JsonValues.field(object, "ipv4"), at + "ipv4"),
        names(JsonValues.field(object, "ipv6"), at + "ipv6"));
  }

  /** A list of non-empty pool names; null is an empty list. */
  static List<String> names(Object value, String path) {
    List<String> names = JsonValues.asStringList(value, path);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).isEmpty()) {
        throw new InvalidInputException(path + "[" + i + "] is an empty IPPool name");
      }
    }
    return names;
  }
}
