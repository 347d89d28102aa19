// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpiderIPPoolTest {

  @Test
  void readsEveryFieldOfAPoolAsSpiderpoolWritesIt() {
    SpiderIPPool pool = Fixtures.load("spiderippool-v4.yaml", SpiderIPPool.class);
    SpiderIPPoolSpec spec = pool.getSpec();

    assertThat(pool.getMetadata().getName()).isEqualTo("vlan100-v4");
    assertThat(pool.getMetadata().getFinalizers()).containsExactly(SpiderpoolApi.FINALIZER);
    assertThat(spec.getIpVersion()).isEqualTo(4L);
    assertThat(spec.getSubnet()).isEqualTo("172.18.40.0/24");
    assertThat(spec.getIps()).containsExactly("172.18.40.10-172.18.40.100", "172.18.40.120");
    assertThat(spec.getExcludeIPs()).containsExactly("172.18.40.50-172.18.40.60");
    assertThat(spec.getGateway()).isEqualTo("172.18.40.1");
    assertThat(spec.getRoutes())
        .containsExactly(
            new Route("10.7.0.0/16", "172.18.40.254"), new Route("10.8.0.0/16", "172.18.40.253"));
    assertThat(spec.getPodAffinity().getMatchLabels()).isEqualTo(Map.of("app", "nginx"));
    assertThat(spec.getPodAffinity().getMatchExpressions())
        .containsExactly(
            new LabelSelectorRequirement("tier", "In", List.of("frontend", "backend")));
    assertThat(spec.getNamespaceAffinity().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "production");
    assertThat(spec.getNamespaceName()).containsExactly("production", "staging");
    assertThat(spec.getNodeAffinity().getMatchExpressions())
        .containsExactly(
            new LabelSelectorRequirement("topology.kubernetes.io/zone", "Exists", List.of()));
    assertThat(spec.getNodeName()).containsExactly("worker-1", "worker-2");
    assertThat(spec.getMultusName())
        .containsExactly("kube-system/macvlan-vlan100", "macvlan-vlan100-bis");
    assertThat(spec.getDefault()).isTrue();
    assertThat(spec.getDisable()).isFalse();
    assertThat(pool.getStatus().getAllocatedIPCount()).isEqualTo(2L);
    assertThat(pool.getStatus().getTotalIPCount()).isEqualTo(81L);
    assertThat(spec.getAdditionalProperties()).isEmpty();
  }

  @Test
  void keepsAllocatedIPsAsTheJsonStringSpiderpoolWrites() {
    SpiderIPPool pool = Fixtures.load("spiderippool-v4.yaml", SpiderIPPool.class);
    String allocated = pool.getStatus().getAllocatedIPs();

    assertThat(allocated)
        .startsWith("{\"172.18.40.10\":{\"pod\":\"default/nginx-7b9d8c7f5-x2k4p\",")
        .endsWith("\"podUid\":\"c2a1b0d9-8e7f-4a5b-9c3d-2e1f0a9b8c7d\"}}");
    JsonNode written = Fixtures.tree(pool).path("status").path("allocatedIPs");
    assertThat(written.isTextual()).as("allocatedIPs is written as a string").isTrue();
    assertThat(written.asText()).isEqualTo(allocated);
  }

  @Test
  void tellsAnExplicitlyEmptyRouteListFromAnAbsentOne() {
    SpiderIPPool noRoutes = Fixtures.load("spiderippool-v6-auto.yaml", SpiderIPPool.class);
    SpiderIPPool inherits = Fixtures.load("spiderippool-unknown-fields.yaml", SpiderIPPool.class);
    inherits.getSpec().setRoutes(null);

    assertThat(noRoutes.getSpec().getRoutes()).isNotNull().isEmpty();
    assertThat(Fixtures.tree(noRoutes).path("spec").path("routes").isArray()).isTrue();
    assertThat(Fixtures.tree(inherits).path("spec").has("routes")).isFalse();
  }

  @Test
  void readsAnAutoPoolOfASubnet() {
    SpiderIPPool pool = Fixtures.load("spiderippool-v6-auto.yaml", SpiderIPPool.class);

    assertThat(pool.getSpec().getIpVersion()).isEqualTo(6L);
    assertThat(pool.getSpec().getSubnet()).isEqualTo("fd00:172:18::/64");
    assertThat(pool.getSpec().getPodAffinity().getMatchLabels())
        .containsEntry("ipam.spidernet.io/app-namespace", "default")
        .hasSize(5);
    assertThat(pool.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("SpiderSubnet");
    assertThat(pool.getStatus().getAllocatedIPs()).isNull();
    assertThat(pool.getStatus().getAllocatedIPCount()).isZero();
  }

  @Test
  void keepsFieldsItDoesNotModel() {
    SpiderIPPool pool = Fixtures.load("spiderippool-unknown-fields.yaml", SpiderIPPool.class);

    assertThat(pool.getSpec().getAdditionalProperties())
        .containsEntry("ipAddressMode", "sequential")
        .containsEntry("reservation", Map.of("enabled", true, "ttlSeconds", 300));
    assertThat(pool.getSpec().getRoutes().get(0).getAdditionalProperties())
        .isEqualTo(Map.of("metric", 100));
    assertThat(pool.getStatus().getAdditionalProperties())
        .isEqualTo(Map.of("lastGC", "2026-01-02T03:04:05Z"));
    assertThat(Fixtures.tree(pool).path("spec").path("reservation").path("ttlSeconds").asInt())
        .isEqualTo(300);
  }

  @Test
  void isAClusterScopedSpiderpoolKind() {
    SpiderIPPool pool = new SpiderIPPool();

    assertThat(pool.getApiVersion()).isEqualTo("spiderpool.spidernet.io/v2beta1");
    assertThat(pool.getKind()).isEqualTo("SpiderIPPool");
    assertThat(pool.getPlural()).isEqualTo("spiderippools");
    assertThat(pool).isNotInstanceOf(Namespaced.class);
  }
}
