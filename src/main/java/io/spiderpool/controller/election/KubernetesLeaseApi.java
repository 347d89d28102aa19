// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** {@link LeaseApi} on a {@code coordination.k8s.io/v1} Lease of the API server. */
public final class KubernetesLeaseApi implements LeaseApi {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public KubernetesLeaseApi(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  private Resource<Lease> lease() {
    return client.leases().inNamespace(namespace).withName(name);
  }

  @Override
  public LeaseRecord get() {
    Lease l = lease().get();
    return l == null ? null : toRecord(l);
  }

  @Override
  public LeaseRecord create(LeaseRecord record) {
    try {
      return toRecord(client.leases().inNamespace(namespace).resource(toLease(record)).create());
    } catch (KubernetesClientException e) {
      throw conflictOr(e);
    }
  }

  @Override
  public LeaseRecord update(LeaseRecord record) {
    try {
      return toRecord(client.leases().inNamespace(namespace).resource(toLease(record)).update());
    } catch (KubernetesClientException e) {
      throw conflictOr(e);
    }
  }

  private RuntimeException conflictOr(KubernetesClientException e) {
    return e.getCode() == 409
        ? new LeaseApi.Conflict(
            "Lease " + namespace + "/" + name + ": " + e.getStatus().getMessage())
        : e;
  }

  private Lease toLease(LeaseRecord r) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withResourceVersion(r.resourceVersion())
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(r.holder())
        .withLeaseDurationSeconds(r.leaseDurationSeconds())
        .withAcquireTime(time(r.acquireTime()))
        .withRenewTime(time(r.renewTime()))
        .withLeaseTransitions(r.transitions())
        .endSpec()
        .build();
  }

  private static LeaseRecord toRecord(Lease l) {
    var s = l.getSpec();
    return new LeaseRecord(
        s == null ? "" : s.getHolderIdentity(),
        s == null || s.getLeaseDurationSeconds() == null ? 0 : s.getLeaseDurationSeconds(),
        s == null ? null : instant(s.getAcquireTime()),
        s == null ? null : instant(s.getRenewTime()),
        s == null || s.getLeaseTransitions() == null ? 0 : s.getLeaseTransitions(),
        l.getMetadata().getResourceVersion());
  }

  private static ZonedDateTime time(Instant i) {
    return i == null ? null : i.atZone(ZoneOffset.UTC);
  }

  private static Instant instant(ZonedDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
