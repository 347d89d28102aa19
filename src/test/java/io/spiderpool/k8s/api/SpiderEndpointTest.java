// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespaced;
import org.junit.jupiter.api.Test;

class SpiderEndpointTest {

  @Test
  void readsADualStackMultiNicRecord() {
    SpiderEndpoint endpoint = Fixtures.load("spiderendpoint-dual-stack.yaml", SpiderEndpoint.class);
    SpiderEndpointStatus status = endpoint.getStatus();
    PodIPAllocation current = status.getCurrent();

    assertThat(endpoint.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(endpoint.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Pod");
    assertThat(endpoint.getSpec()).isNull();
    assertThat(status.getOwnerControllerType()).isEqualTo("Deployment");
    assertThat(status.getOwnerControllerName()).isEqualTo("nginx");
    assertThat(current.getUid()).isEqualTo("5f1d0c3a-2b4e-4f6a-8c7d-9e0f1a2b3c4d");
    assertThat(current.getNode()).isEqualTo("worker-1");
    assertThat(current.getIps())
        .extracting(IPAllocationDetail::getInterface)
        .containsExactly("eth0", "net1");

    IPAllocationDetail eth0 = current.getIps().get(0);
    assertThat(eth0.getIpv4()).isEqualTo("172.18.40.10/24");
    assertThat(eth0.getIpv4Pool()).isEqualTo("vlan100-v4");
    assertThat(eth0.getIpv4Gateway()).isEqualTo("172.18.40.1");
    assertThat(eth0.getIpv6()).isEqualTo("fd00:172:18::64/64");
    assertThat(eth0.getIpv6Pool()).isEqualTo("auto6-nginx-eth0-3c0d2");
    assertThat(eth0.getIpv6Gateway()).isEqualTo("fd00:172:18::1");
    assertThat(eth0.getVlan()).isEqualTo(100L);
    assertThat(eth0.getCleanGateway()).isFalse();
    assertThat(eth0.getRoutes()).containsExactly(new Route("10.7.0.0/16", "172.18.40.254"));
    assertThat(eth0.getMac()).isNull();

    IPAllocationDetail net1 = current.getIps().get(1);
    assertThat(net1.getIpv4()).isEqualTo("10.20.0.15/16");
    assertThat(net1.getIpv6()).isNull();
    assertThat(net1.getVlan()).isZero();
    assertThat(net1.getCleanGateway()).isTrue();
  }

  @Test
  void readsAStatefulSetRecordWithAnIaasMac() {
    SpiderEndpoint endpoint =
        Fixtures.load("spiderendpoint-statefulset.yaml", SpiderEndpoint.class);

    assertThat(endpoint.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(endpoint.getStatus().getOwnerControllerType()).isEqualTo("StatefulSet");
    assertThat(endpoint.getStatus().getCurrent().getIps().get(0).getMac())
        .isEqualTo("02:42:ac:12:28:1e");
  }

  @Test
  void writesTheInterfaceFieldUnderItsSpiderpoolName() {
    SpiderEndpoint endpoint =
        Fixtures.load("spiderendpoint-statefulset.yaml", SpiderEndpoint.class);

    assertThat(
            Fixtures.tree(endpoint)
                .path("status")
                .path("current")
                .path("ips")
                .get(0)
                .path("interface")
                .asText())
        .isEqualTo("eth0");
    assertThat(Fixtures.tree(endpoint).has("spec")).isFalse();
  }

  @Test
  void isANamespacedSpiderpoolKind() {
    SpiderEndpoint endpoint = new SpiderEndpoint();

    assertThat(endpoint.getApiVersion()).isEqualTo("spiderpool.spidernet.io/v2beta1");
    assertThat(endpoint.getKind()).isEqualTo("SpiderEndpoint");
    assertThat(endpoint.getPlural()).isEqualTo("spiderendpoints");
    assertThat(endpoint).isInstanceOf(Namespaced.class);
    assertThat(SpiderEndpoint.class).hasAnnotation(NoStatusSubresource.class);
  }
}
