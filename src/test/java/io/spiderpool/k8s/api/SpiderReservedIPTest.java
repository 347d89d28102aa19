// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespaced;
import org.junit.jupiter.api.Test;

class SpiderReservedIPTest {

  @Test
  void readsReservedRangesAndAddresses() {
    SpiderReservedIP reserved = Fixtures.load("spiderreservedip-v4.yaml", SpiderReservedIP.class);

    assertThat(reserved.getSpec().getIpVersion()).isEqualTo(4L);
    assertThat(reserved.getSpec().getIps())
        .containsExactly("172.18.40.250-172.18.40.254", "172.18.40.40");
    assertThat(reserved.getStatus()).isNull();
  }

  @Test
  void leavesAnAbsentIpVersionToTheWebhook() {
    SpiderReservedIP reserved = Fixtures.load("spiderreservedip-v6.yaml", SpiderReservedIP.class);

    assertThat(reserved.getSpec().getIpVersion()).isNull();
    assertThat(reserved.getSpec().getIps()).containsExactly("fd00:172:18::fa-fd00:172:18::fe");
    assertThat(Fixtures.tree(reserved).path("spec").has("ipVersion")).isFalse();
    assertThat(Fixtures.tree(reserved).has("status")).isFalse();
  }

  @Test
  void isAClusterScopedSpiderpoolKind() {
    SpiderReservedIP reserved = new SpiderReservedIP();

    assertThat(reserved.getApiVersion()).isEqualTo("spiderpool.spidernet.io/v2beta1");
    assertThat(reserved.getKind()).isEqualTo("SpiderReservedIP");
    assertThat(reserved.getPlural()).isEqualTo("spiderreservedips");
    assertThat(reserved).isNotInstanceOf(Namespaced.class);
  }
}
