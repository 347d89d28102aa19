// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared builders for selection tests: pools of either family and a typical request. */
final class Fixtures {
  static final TopController DEPLOYMENT =
      new TopController("apps/v1", "Deployment", "default", "web", "uid-web");

  private Fixtures() {}

  /** A plain pool of {@code family} (subnet 10.0.0.0/24 or fd00::/120). */
  static PoolView.Builder pool(String name, IpFamily family) {
    Cidr subnet = Cidr.parse(family == IpFamily.V4 ? "10.0.0.0/24" : "fd00::/120");
    return PoolView.builder(name).subnet(subnet);
  }

  static PoolView v4(String name) {
    return pool(name, IpFamily.V4).build();
  }

  static PoolView v6(String name) {
    return pool(name, IpFamily.V6).build();
  }

  static PoolCatalog catalog(PoolView... pools) {
    return PoolCatalog.of(Arrays.asList(pools));
  }

  /** Pod default/web-0 of Deployment web, NIC eth0, on node-1 in namespace default. */
  static SelectionRequest.Builder request() {
    return request("eth0");
  }

  static SelectionRequest.Builder request(String nic) {
    return SelectionRequest.builder(nic, "default", "web-0")
        .pod(Map.of("app", "web"), Map.of())
        .topController(DEPLOYMENT)
        .namespace(Map.of("team", "a"), Map.of())
        .node("node-1", Map.of("zone", "z1"));
  }

  static Map<String, String> annotations(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static LabelSelector selector(String key, String value) {
    return LabelSelector.matchLabels(Map.of(key, value));
  }

  static List<String> names(List<PoolView> pools) {
    return pools.stream().map(PoolView::name).toList();
  }
}
