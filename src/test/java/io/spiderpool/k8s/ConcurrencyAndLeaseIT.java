// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API-server behaviours the allocation engine is built on and that the fabric8 mock does not
 * provide: a stale {@code resourceVersion} on a {@code /status} write is a 409, and the status
 * subresource keeps spec and status apart. Also: Leases for the controller role.
 */
@ExtendWith(ControlPlaneExtension.class)
class ConcurrencyAndLeaseIT {

  private static SpiderIPPool pool(String name) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    SpiderIPPoolSpec spec = new SpiderIPPoolSpec();
    spec.setIpVersion(4L);
    spec.setSubnet("10.9.0.0/24");
    spec.setIps(List.of("10.9.0.10-10.9.0.20"));
    p.setSpec(spec);
    return p;
  }

  private static SpiderIPPoolStatus status(String allocatedIps, long count) {
    SpiderIPPoolStatus s = new SpiderIPPoolStatus();
    s.setAllocatedIPs(allocatedIps);
    s.setAllocatedIPCount(count);
    return s;
  }

  @Test
  void staleStatusWriteIsAConflict(KubernetesClient client) {
    SpiderIPPool created = client.resource(pool("cas-pool")).create();

    SpiderIPPool first = client.resources(SpiderIPPool.class).withName("cas-pool").get();
    SpiderIPPool second = client.resources(SpiderIPPool.class).withName("cas-pool").get();
    first.setStatus(status("{\"10.9.0.10\":{\"pod\":\"ns/a\",\"podUid\":\"ua\"}}", 1));
    client.resource(first).updateStatus();

    second.setStatus(status("{\"10.9.0.10\":{\"pod\":\"ns/b\",\"podUid\":\"ub\"}}", 1));
    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.resource(second).updateStatus());
    assertThat(e).isNotNull();
    assertThat(e.getCode()).isEqualTo(409);
    assertThat(
            client
                .resources(SpiderIPPool.class)
                .withName("cas-pool")
                .get()
                .getStatus()
                .getAllocatedIPs())
        .contains("ns/a")
        .doesNotContain("ns/b");
    assertThat(created.getMetadata().getResourceVersion()).isNotNull();
  }

  @Test
  void statusSubresourceKeepsSpecAndStatusApart(KubernetesClient client) {
    client.resource(pool("split-pool")).create();
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName("split-pool").get();
    p.setStatus(status("{\"10.9.0.11\":{\"pod\":\"ns/c\",\"podUid\":\"uc\"}}", 1));
    p.getSpec().setDisable(true);
    SpiderIPPool afterStatus = client.resource(p).updateStatus();
    assertThat(afterStatus.getSpec().getDisable())
        .as("a /status write ignores spec")
        .isNotEqualTo(Boolean.TRUE);
    assertThat(afterStatus.getStatus().getAllocatedIPCount()).isEqualTo(1L);

    afterStatus.getSpec().setDisable(true);
    afterStatus.setStatus(status(null, 0));
    SpiderIPPool afterSpec = client.resource(afterStatus).update();
    assertThat(afterSpec.getSpec().getDisable()).isTrue();
    assertThat(afterSpec.getStatus().getAllocatedIPCount())
        .as("a main-resource write ignores status")
        .isEqualTo(1L);
  }

  @Test
  void leaseCanBeCreatedAndRenewed(KubernetesClient client) {
    ZonedDateTime now = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS);
    Lease lease =
        client
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName("spiderpool-controller")
                    .withNamespace("default")
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity("node-a")
                    .withLeaseDurationSeconds(15)
                    .withAcquireTime(now)
                    .withRenewTime(now)
                    .endSpec()
                    .build())
            .create();

    lease.getSpec().setRenewTime(now.plusSeconds(2));
    Lease renewed = client.resource(lease).update();
    assertThat(renewed.getSpec().getRenewTime()).isEqualTo(now.plusSeconds(2));
    assertThat(renewed.getMetadata().getResourceVersion())
        .isNotEqualTo(lease.getMetadata().getResourceVersion());

    lease.getSpec().setHolderIdentity("node-b");
    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.resource(lease).update());
    assertThat(e.getCode()).as("a takeover based on a stale read is refused").isEqualTo(409);
  }
}
