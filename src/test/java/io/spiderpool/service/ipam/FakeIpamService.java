// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.service.ipam.AddResult.IpConfig;
import io.spiderpool.service.ipam.AddResult.RouteConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory engine behind the agent API's and the CNI layer's tests and the CNI benchmark's
 * daemon: answers {@link #addResult} (by default a dual-stack allocation for two NICs, as
 * Spiderpool's agent answers every NIC of the Pod), records every request, and fails with {@link
 * #failure} when set.
 */
public final class FakeIpamService implements IpamService {
  /** eth0: 10.6.0.10/16 and fd00:6::10/64 with gateways; net1: 10.7.0.10/24 without gateway. */
  public static final AddResult DUAL_STACK =
      new AddResult(
          List.of(
              new IpConfig(4, "10.6.0.10/16", "eth0", "v4-pool", "10.6.0.1", 0, false, false),
              new IpConfig(6, "fd00:6::10/64", "eth0", "v6-pool", "fd00:6::1", 0, false, false),
              new IpConfig(4, "10.7.0.10/24", "net1", "net1-pool", null, 0, false, false)),
          List.of(
              new RouteConfig("eth0", "0.0.0.0/0", "10.6.0.1"),
              new RouteConfig("eth0", "::/0", "fd00:6::1"),
              new RouteConfig("net1", "10.8.0.0/16", "10.7.0.1")));

  public final List<AddRequest> adds = new CopyOnWriteArrayList<>();
  public final List<ReleaseRequest> releases = new CopyOnWriteArrayList<>();
  public final List<EndpointView> endpoints = new CopyOnWriteArrayList<>();
  public volatile AddResult addResult = DUAL_STACK;
  public volatile RuntimeException failure;

  @Override
  public AddResult allocate(AddRequest request) {
    adds.add(request);
    if (failure != null) {
      throw failure;
    }
    return addResult;
  }

  @Override
  public void release(ReleaseRequest request) {
    releases.add(request);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public Optional<EndpointView> endpoint(String podNamespace, String podName) {
    if (failure != null) {
      throw failure;
    }
    return endpoints.stream()
        .filter(e -> e.podNamespace().equals(podNamespace) && e.podName().equals(podName))
        .findFirst();
  }

  @Override
  public int releaseOrphans(String node) {
    return 0;
  }
}
