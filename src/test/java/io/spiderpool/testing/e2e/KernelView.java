// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The assertion every ADD ends with: what the kernel has inside the Pod's namespace equals the CNI
 * result the runtime received. Addresses are compared as {@code ip/prefix}; routes as (dst,
 * gateway) with a result route without {@code gw} resolved to the result's gateway of that family,
 * as the reference plugins' {@code ipam.ConfigureIface} does.
 */
public final class KernelView {
  private KernelView() {}

  /**
   * Asserts that {@code ifName} in {@code ns} carries exactly the result's addresses and routes.
   */
  public static void assertMatches(NetNs ns, String ifName, CniResult result) {
    List<String> kernel =
        ns.addresses(ifName).stream().map(a -> normalize(a.cidr())).sorted().toList();
    List<String> wanted = result.ips().stream().map(i -> normalize(i.address())).sorted().toList();
    assertThat(kernel)
        .as("addresses on %s in %s vs the CNI result %s", ifName, ns, result)
        .isEqualTo(wanted);
    for (int family : List.of(4, 6)) {
      List<String> kernelRoutes = new ArrayList<>();
      for (NetNs.RouteEntry r : ns.routes(family)) {
        if (r.dev().equals(ifName)) {
          kernelRoutes.add(r.dst() + " via " + r.gateway());
        }
      }
      String gateway =
          result.ips().stream()
              .filter(i -> i.family() == family && i.gateway() != null)
              .map(CniResult.Ip::gateway)
              .findFirst()
              .orElse(null);
      List<String> wantedRoutes =
          result.routes(family).stream()
              .map(r -> normalize(r.dst()) + " via " + (r.gw() != null ? r.gw() : gateway))
              .sorted()
              .toList();
      assertThat(kernelRoutes.stream().sorted().toList())
          .as("IPv%d routes via %s in %s vs the CNI result %s", family, ifName, ns, result)
          .isEqualTo(wantedRoutes);
    }
  }

  /** Compresses IPv6 text the way iproute2 prints it (the CNI result may spell it differently). */
  static String normalize(String cidr) {
    int slash = cidr.indexOf('/');
    String ip = slash < 0 ? cidr : cidr.substring(0, slash);
    String suffix = slash < 0 ? "" : cidr.substring(slash);
    if (!ip.contains(":")) {
      return cidr;
    }
    try {
      String s = InetAddress.getByName(ip).getHostAddress();
      // Java prints full groups (2001:db8:0:0:0:0:0:1); compress the longest zero run like iproute2
      return compress(s) + suffix;
    } catch (UnknownHostException e) {
      return cidr;
    }
  }

  private static String compress(String full) {
    String[] g = full.split(":");
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < g.length; ) {
      if (g[i].equals("0")) {
        int j = i;
        while (j < g.length && g[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", Arrays.copyOfRange(g, 0, bestStart));
    String tail = String.join(":", Arrays.copyOfRange(g, bestStart + bestLen, g.length));
    return head + "::" + tail;
  }
}
