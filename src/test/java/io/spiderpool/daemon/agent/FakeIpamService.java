// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EndpointView;
import io.spiderpool.service.ipam.IpamService;
import io.spiderpool.service.ipam.ReleaseRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An engine that records requests and answers what the test programmed. */
public final class FakeIpamService implements IpamService {
  public final List<AddRequest> adds = new ArrayList<>();
  public final List<ReleaseRequest> releases = new ArrayList<>();
  public final Map<String, EndpointView> endpoints = new HashMap<>();
  public AddResult addResult = new AddResult(List.of(), List.of());
  public RuntimeException failure;

  @Override
  public synchronized AddResult allocate(AddRequest request) {
    adds.add(request);
    if (failure != null) {
      throw failure;
    }
    return addResult;
  }

  @Override
  public synchronized void release(ReleaseRequest request) {
    releases.add(request);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public synchronized Optional<EndpointView> endpoint(String podNamespace, String podName) {
    if (failure != null) {
      throw failure;
    }
    return Optional.ofNullable(endpoints.get(podNamespace + "/" + podName));
  }

  @Override
  public int releaseOrphans(String node) {
    return 0;
  }
}
