// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static io.spiderpool.core.pool.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolCatalogTest {

  @Test
  void indexesByNameFamilyAndDefaultSortedByName() {
    PoolCatalog c =
        Fixtures.catalog(
            Fixtures.v4("b"),
            Fixtures.v6("b6"),
            Fixtures.v4("a"),
            pool("d", IpFamily.V6).isDefault(true).build(),
            pool("c", IpFamily.V4).isDefault(true).build(),
            PoolView.builder("nofamily").build());
    assertThat(c.size()).isEqualTo(6);
    assertThat(Fixtures.names(c.ofFamily(IpFamily.V4))).containsExactly("a", "b", "c");
    assertThat(Fixtures.names(c.ofFamily(IpFamily.V6))).containsExactly("b6", "d");
    assertThat(Fixtures.names(c.defaults())).containsExactly("c", "d");
    assertThat(c.get("nofamily")).isPresent();
    assertThat(c.get("zzz")).isEmpty();
  }

  @Test
  void refusesDuplicateNames() {
    assertThatThrownBy(() -> Fixtures.catalog(Fixtures.v4("a"), Fixtures.v6("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two pools are named a");
  }

  @Test
  void poolViewDefaultsAndAutoPoolDetection() {
    PoolView p = PoolView.builder("p").build();
    assertThat(p.family()).isNull();
    assertThat(p.nodeNames()).isEmpty();
    assertThat(p.labels()).isEmpty();
    assertThat(p.isAutoCreated()).isFalse();
    assertThat(
            PoolView.builder("q")
                .labels(Map.of(PoolView.AUTO_POOL_LABEL, "web"))
                .build()
                .isAutoCreated())
        .isTrue();
    assertThat(PoolView.builder("r").family(IpFamily.V6).subnet(null).build().family())
        .isEqualTo(IpFamily.V6);
    assertThat(pool("s", IpFamily.V4).multusNames(List.of("m")).build().multusNames())
        .containsExactly("m");
    assertThatThrownBy(() -> PoolView.builder("").build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
