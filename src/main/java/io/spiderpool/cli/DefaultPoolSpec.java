// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One cluster default pool that {@code spiderpool init} makes, read from the environment
 * Spiderpool's spiderpool-init Job gets ({@code SPIDERPOOL_INIT_DEFAULT_IPV4_*} and {@code
 * _IPV6_*}, set by the chart from {@code clusterDefaultPool.*}). A family is wanted when its {@code
 * _IPPOOL_NAME} is set.
 *
 * @param family 4 or 6
 * @param poolName the SpiderIPPool, created with {@code spec.default: true}
 * @param subnetName the SpiderSubnet made first, or null for none ({@code
 *     ipam.spiderSubnet.enable=false})
 * @param subnet the network, canonical (host bits refused here, as the webhook would)
 * @param ips {@code spec.ips}; empty means the whole subnet
 * @param gateway {@code spec.gateway}, or null
 */
record DefaultPoolSpec(
    int family,
    String poolName,
    String subnetName,
    String subnet,
    List<String> ips,
    String gateway) {

  static final String PREFIX = "SPIDERPOOL_INIT_DEFAULT_IPV";

  /** The wanted pools, IPv4 first; every problem of the environment reported in one exception. */
  static List<DefaultPoolSpec> fromEnv(Map<String, String> env) {
    List<DefaultPoolSpec> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int family : new int[] {4, 6}) {
      String p = PREFIX + family + "_";
      String pool = value(env, p + "IPPOOL_NAME");
      if (pool == null) {
        continue;
      }
      String subnet = value(env, p + "IPPOOL_SUBNET");
      if (subnet == null) {
        problems.add(p + "IPPOOL_SUBNET is required with " + p + "IPPOOL_NAME=" + pool);
        continue;
      }
      try {
        Cidr cidr = Cidr.parse(subnet, family == 4 ? IpFamily.V4 : IpFamily.V6);
        if (!cidr.toString().equals(subnet)) {
          problems.add(p + "IPPOOL_SUBNET " + subnet + " is not canonical: write " + cidr);
          continue;
        }
      } catch (InvalidInputException e) {
        problems.add(p + "IPPOOL_SUBNET: " + e.getMessage());
        continue;
      }
      List<String> ips;
      try {
        ips = ranges(value(env, p + "IPPOOL_IPRANGES"), p + "IPPOOL_IPRANGES");
      } catch (InvalidInputException e) {
        problems.add(e.getMessage());
        continue;
      }
      out.add(
          new DefaultPoolSpec(
              family,
              pool,
              value(env, p + "SUBNET_NAME"),
              subnet,
              ips,
              value(env, p + "IPPOOL_GATEWAY")));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
    return out;
  }

  /** A JSON array of strings (what the chart writes) or a comma-separated list (by hand). */
  static List<String> ranges(String text, String where) {
    if (text == null) {
      return List.of();
    }
    if (text.startsWith("[")) {
      try {
        return List.copyOf(JsonValues.asStringList(JsonReader.parse(text), where));
      } catch (RuntimeException e) {
        throw new InvalidInputException(
            where + " is not a JSON array of strings: " + e.getMessage());
      }
    }
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
