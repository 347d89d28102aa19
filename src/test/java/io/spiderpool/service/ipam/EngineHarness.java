// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.core.pool.PoolView;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AutoPoolLabels;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The allocation engine on in-memory stores: pools, endpoints, Pods. Every {@link #engine} call
 * makes one more node's engine on the same stores, as two daemons share one API server.
 */
final class EngineHarness {
  static final String NS = "ns";

  final InMemoryPoolStore pools = new InMemoryPoolStore();
  final InMemoryPoolDirectory catalog = new InMemoryPoolDirectory();
  final InMemoryPodDirectory pods = new InMemoryPodDirectory();
  final InMemoryEndpointStore endpoints = new InMemoryEndpointStore();
  private final ClusterConfig config;

  EngineHarness() {
    this(ClusterConfig.DEFAULTS);
  }

  EngineHarness(ClusterConfig config) {
    this.config = config;
  }

  /** A node's engine; each has its own group-commit lanes, as each daemon has. */
  IpamEngine engine(String node) {
    return engine(node, AutoPools.UNSUPPORTED);
  }

  /** A node's engine that resolves SpiderSubnet auto-pools through {@code autoPools}. */
  IpamEngine engine(String node, AutoPools autoPools) {
    PoolCommitter committer =
        new PoolCommitter(
            pools,
            snap -> RangeSet.empty(snap.space().subnet().family()),
            5000,
            Duration.ofSeconds(30),
            IpamMetrics.NOOP);
    return new IpamEngine(
        committer,
        catalog,
        pods,
        endpoints,
        new EngineSettings(config, "kube-system", null, 5000, true, node),
        autoPools);
  }

  /** An auto-created pool of {@code app} as the controller makes it: app labels and podAffinity. */
  void autoPool(String name, String subnet, String ips, TopController app) {
    PoolSpace space = PoolSpace.of(subnet, List.of(ips), List.of(), List.of(), null);
    pools.add(name, space);
    catalog.put(
        PoolView.builder(name)
            .subnet(Cidr.parse(subnet))
            .podAffinity(LabelSelector.matchLabels(AutoPoolLabels.podAffinity(app)))
            .labels(Map.of(AutoPoolLabels.OWNER_NAME, app.name()))
            .build(),
        List.of());
  }

  /** A pool with {@code ips} and a gateway outside them. */
  void pool(String name, String subnet, String ips, String gateway) {
    PoolSpace space = PoolSpace.of(subnet, List.of(ips), List.of(), List.of(), gateway);
    pools.add(name, space);
    PoolView.Builder b = PoolView.builder(name).subnet(Cidr.parse(subnet));
    if (gateway != null) {
      b.gateway(IpAddress.parse(gateway));
    }
    catalog.put(b.build(), List.of());
  }

  PoolRecords records(String pool) {
    return pools.records(pool);
  }

  /** A running Pod with these annotations. */
  PodDirectory.PodInfo runningPod(
      String name,
      String uid,
      String node,
      Map<String, String> annotations,
      List<PodDirectory.OwnerRef> owners) {
    return pods.put(InMemoryPodDirectory.running(NS, name, uid, node, annotations, owners));
  }

  /** The {@code ipam.spidernet.io/ippool} annotation naming one pool per family (null: none). */
  static Map<String, String> ippool(String v4, String v6) {
    StringBuilder sb = new StringBuilder("{");
    if (v4 != null) {
      sb.append("\"ipv4\":[\"").append(v4).append("\"]");
    }
    if (v6 != null) {
      sb.append(v4 != null ? "," : "").append("\"ipv6\":[\"").append(v6).append("\"]");
    }
    return Map.of("ipam.spidernet.io/ippool", sb.append('}').toString());
  }

  /** A running Pod annotated to take its addresses from {@code v4Pool}. */
  PodDirectory.PodInfo runningPod(
      String name, String uid, String node, String v4Pool, List<PodDirectory.OwnerRef> owners) {
    return pods.put(
        InMemoryPodDirectory.running(
            NS,
            name,
            uid,
            node,
            Map.of("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + v4Pool + "\"]}"),
            owners));
  }

  static AddRequest add(String containerId, String pod, String uid) {
    return add(containerId, pod, uid, "eth0");
  }

  static AddRequest add(String containerId, String pod, String uid, String nic) {
    return new AddRequest(
        containerId,
        nic,
        "/var/run/netns/" + containerId,
        NS,
        pod,
        uid,
        List.of(),
        List.of(),
        false,
        false);
  }

  static ReleaseRequest del(String containerId, String pod, String uid) {
    return new ReleaseRequest(
        containerId, "eth0", "/var/run/netns/" + containerId, NS, pod, uid, false);
  }

  /** {@code DELETE /v1/ipam/ips}: every address of the Pod (ifName null). */
  static ReleaseRequest batchDel(String containerId, String pod, String uid, boolean conflictIps) {
    return new ReleaseRequest(
        containerId, null, "/var/run/netns/" + containerId, NS, pod, uid, conflictIps);
  }
}
