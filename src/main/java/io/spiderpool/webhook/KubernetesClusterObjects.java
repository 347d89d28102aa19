// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import java.util.List;
import java.util.Optional;

/** {@link ClusterObjects} by listing the CRs through the API server. */
final class KubernetesClusterObjects implements ClusterObjects {
  private final KubernetesClient client;

  KubernetesClusterObjects(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<AdmissionObject> list(AdmissionKind kind) {
    List<?> items =
        switch (kind) {
          case IPPOOL -> client.resources(SpiderIPPool.class).list().getItems();
          case SUBNET -> client.resources(SpiderSubnet.class).list().getItems();
          case RESERVED_IP -> List.of();
        };
    return items.stream()
        .map(i -> ObjectReader.read(kind, Serialization.jsonMapper().valueToTree(i)))
        .toList();
  }

  @Override
  public Optional<AdmissionObject> get(AdmissionKind kind, String name) {
    HasMetadata o = read(kind, name);
    return o == null
        ? Optional.empty()
        : Optional.of(ObjectReader.read(kind, Serialization.jsonMapper().valueToTree(o)));
  }

  private HasMetadata read(AdmissionKind kind, String name) {
    return switch (kind) {
      case IPPOOL -> client.resources(SpiderIPPool.class).withName(name).get();
      case SUBNET -> client.resources(SpiderSubnet.class).withName(name).get();
      case RESERVED_IP -> null;
    };
  }

  @Override
  public String resourceVersion(AdmissionKind kind, String name) {
    HasMetadata o = read(kind, name);
    return o == null ? null : o.getMetadata().getResourceVersion();
  }
}
