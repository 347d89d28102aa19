// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.api.IPAllocationDetail;
import io.spiderpool.k8s.api.SpiderEndpoint;
import java.util.List;
import java.util.Map;

/**
 * Assertions on what the engine wrote for a Pod: the pool record of each address and the
 * SpiderEndpoint entry of each interface, both against the CNI result the runtime saw.
 */
public final class Records {
  private final KubernetesClient client;
  private final PoolConsistency pools;

  /** Assertions reading through {@code client}. */
  public Records(KubernetesClient client) {
    this.client = client;
    this.pools = new PoolConsistency(client);
  }

  /** The pool records, keyed by address. */
  public Map<String, PoolConsistency.PoolRecord> of(String pool) {
    return pools.records(pool);
  }

  /** The Pod's SpiderEndpoint, or null. */
  public SpiderEndpoint endpoint(Pod pod) {
    return client
        .resources(SpiderEndpoint.class)
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .get();
  }

  /**
   * Asserts that every address of {@code result} is recorded in the expected pool for this Pod
   * (name and UID) and listed in the endpoint's entry for {@code ifName} with that pool, and that
   * the endpoint names the Pod's UID and node.
   */
  public void assertRecorded(
      Pod pod, String ifName, CniResult result, String v4Pool, String v6Pool) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    SpiderEndpoint ep = endpoint(pod);
    assertThat(ep).as("SpiderEndpoint %s", key).isNotNull();
    assertThat(ep.getStatus().getCurrent().getUid()).as("endpoint uid of %s", key).isEqualTo(uid);
    assertThat(ep.getStatus().getCurrent().getNode())
        .as("endpoint node of %s", key)
        .isEqualTo(pod.getSpec().getNodeName());
    IPAllocationDetail entry =
        ep.getStatus().getCurrent().getIps().stream()
            .filter(d -> ifName.equals(d.getInterface()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "endpoint " + key + " has no entry for " + ifName + ": " + ep.getStatus()));
    for (CniResult.Ip ip : result.ips()) {
      String pool = ip.family() == 4 ? v4Pool : v6Pool;
      String bare = PoolConsistency.bare(ip.address());
      PoolConsistency.PoolRecord r = pools.records(pool).get(bare);
      assertThat(r).as("record of %s in pool %s", bare, pool).isNotNull();
      assertThat(r.pod()).isEqualTo(key);
      assertThat(r.podUid()).isEqualTo(uid);
      String listed = ip.family() == 4 ? entry.getIpv4() : entry.getIpv6();
      String listedPool = ip.family() == 4 ? entry.getIpv4Pool() : entry.getIpv6Pool();
      assertThat(KernelView.normalize(listed))
          .as("endpoint %s %s address", key, ifName)
          .isEqualTo(KernelView.normalize(ip.address()));
      assertThat(listedPool).isEqualTo(pool);
      String gw = ip.family() == 4 ? entry.getIpv4Gateway() : entry.getIpv6Gateway();
      if (ip.gateway() != null) {
        assertThat(KernelView.normalize(gw)).isEqualTo(KernelView.normalize(ip.gateway()));
      }
    }
    if (v4Pool == null || result.addresses(4).isEmpty()) {
      assertThat(entry.getIpv4()).as("no IPv4 on %s %s", key, ifName).isNull();
    }
    if (v6Pool == null || result.addresses(6).isEmpty()) {
      assertThat(entry.getIpv6()).as("no IPv6 on %s %s", key, ifName).isNull();
    }
  }

  /** Asserts that no pool among {@code poolNames} has a record for the Pod (by name or UID). */
  public void assertReleased(Pod pod, List<String> poolNames) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    for (String p : poolNames) {
      assertThat(pools.records(p).values())
          .as("records of %s left in %s", key, p)
          .noneMatch(r -> r.pod().equals(key) || r.podUid().equals(pod.getMetadata().getUid()));
    }
    SpiderEndpoint ep = endpoint(pod);
    // Spiderpool drops the finalizer and leaves deletion to the garbage collector (none runs
    // here); deleting the endpoint outright is as good
    if (ep != null
        && ep.getStatus() != null
        && ep.getStatus().getCurrent() != null
        && pod.getMetadata().getUid().equals(ep.getStatus().getCurrent().getUid())) {
      assertThat(ep.getMetadata().getFinalizers())
          .as("finalizers of the released endpoint %s", key)
          .isNullOrEmpty();
    }
  }
}
