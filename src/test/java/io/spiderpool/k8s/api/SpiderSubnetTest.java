// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespaced;
import org.junit.jupiter.api.Test;

class SpiderSubnetTest {

  @Test
  void readsEveryFieldOfASubnetAsSpiderpoolWritesIt() {
    SpiderSubnet subnet = Fixtures.load("spidersubnet-v4.yaml", SpiderSubnet.class);
    SpiderSubnetSpec spec = subnet.getSpec();

    assertThat(spec.getIpVersion()).isEqualTo(4L);
    assertThat(spec.getSubnet()).isEqualTo("172.18.40.0/24");
    assertThat(spec.getIps()).containsExactly("172.18.40.10-172.18.40.200");
    assertThat(spec.getExcludeIPs()).containsExactly("172.18.40.100");
    assertThat(spec.getGateway()).isEqualTo("172.18.40.1");
    assertThat(spec.getRoutes()).containsExactly(new Route("10.7.0.0/16", "172.18.40.254"));
    assertThat(subnet.getStatus().getTotalIPCount()).isEqualTo(190L);
    assertThat(subnet.getStatus().getAllocatedIPCount()).isEqualTo(14L);
  }

  @Test
  void keepsControlledIPPoolsAsTheJsonStringSpiderpoolWrites() {
    SpiderSubnet subnet = Fixtures.load("spidersubnet-v4.yaml", SpiderSubnet.class);

    assertThat(subnet.getStatus().getControlledIPPools())
        .isEqualTo(
            "{\"vlan100-v4\":{\"ips\":[\"172.18.40.10-172.18.40.20\"]},"
                + "\"auto4-nginx-eth0-3c0d2\":{\"ips\":[\"172.18.40.21-172.18.40.23\"],"
                + "\"application\":\"apps_v1_Deployment_default_nginx\"}}");
    assertThat(Fixtures.tree(subnet).path("status").path("controlledIPPools").isTextual()).isTrue();
  }

  @Test
  void leavesAbsentFieldsAbsent() {
    SpiderSubnet subnet = Fixtures.load("spidersubnet-v6.yaml", SpiderSubnet.class);

    assertThat(subnet.getSpec().getIpVersion()).isNull();
    assertThat(subnet.getSpec().getExcludeIPs()).isNull();
    assertThat(subnet.getSpec().getRoutes()).isNull();
    assertThat(subnet.getStatus().getControlledIPPools()).isNull();
    assertThat(Fixtures.tree(subnet).path("spec").fieldNames())
        .toIterable()
        .containsExactly("subnet", "ips", "gateway");
  }

  @Test
  void isAClusterScopedSpiderpoolKind() {
    SpiderSubnet subnet = new SpiderSubnet();

    assertThat(subnet.getApiVersion()).isEqualTo("spiderpool.spidernet.io/v2beta1");
    assertThat(subnet.getKind()).isEqualTo("SpiderSubnet");
    assertThat(subnet.getPlural()).isEqualTo("spidersubnets");
    assertThat(subnet).isNotInstanceOf(Namespaced.class);
  }
}
