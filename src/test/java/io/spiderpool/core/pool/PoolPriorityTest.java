// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static io.spiderpool.core.pool.Fixtures.pool;
import static io.spiderpool.core.pool.Fixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.net.IpFamily;
import io.spiderpool.testing.PropertyCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PoolPriorityTest {

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void mostSpecificFirstAndUserOrderAmongEquals(IpFamily f) {
    List<PoolView> pools =
        new ArrayList<>(
            List.of(
                pool("plain-1", f).build(),
                pool("multus", f).multusNames(List.of("m")).build(),
                pool("ns-affinity", f).namespaceAffinity(selector("team", "a")).build(),
                pool("plain-2", f).build(),
                pool("pod", f).podAffinity(selector("app", "web")).build(),
                pool("ns-name", f).namespaceNames(List.of("default")).build(),
                pool("node-affinity", f).nodeAffinity(selector("zone", "z1")).build(),
                pool("node-name", f).nodeNames(List.of("node-1")).build(),
                pool("pod-and-node", f)
                    .podAffinity(selector("app", "web"))
                    .nodeNames(List.of("node-1"))
                    .build(),
                pool("plain-0", f).build(),
                pool("node-name-2", f).nodeNames(List.of("node-1")).build()));
    pools.sort(PoolPriority.MOST_SPECIFIC_FIRST);
    assertThat(Fixtures.names(pools))
        .containsExactly(
            "pod-and-node",
            "pod",
            "node-name",
            "node-name-2",
            "node-affinity",
            "ns-name",
            "ns-affinity",
            "multus",
            "plain-1",
            "plain-2",
            "plain-0");
  }

  /** Any mix of pools: sorted by the specificity vector, and stable among equal vectors. */
  @Test
  void sortIsBySpecificityThenInputOrder() {
    PropertyCheck.forAll(random -> checkSorted(pools(random)));
  }

  private static void checkSorted(List<PoolView> input) {
    List<PoolView> sorted = new ArrayList<>(input);
    sorted.sort(PoolPriority.MOST_SPECIFIC_FIRST);
    for (int i = 1; i < sorted.size(); i++) {
      String prev = rank(sorted.get(i - 1));
      String cur = rank(sorted.get(i));
      assertThat(prev.compareTo(cur)).isLessThanOrEqualTo(0);
      if (prev.equals(cur)) {
        assertThat(input.indexOf(sorted.get(i - 1))).isLessThan(input.indexOf(sorted.get(i)));
      }
    }
  }

  /** '0' where a pool has the feature, '1' where not, in Spiderpool's comparison order. */
  private static String rank(PoolView p) {
    return (p.podAffinity() == null ? "1" : "0")
        + (p.nodeNames().isEmpty() ? "1" : "0")
        + (p.nodeAffinity() == null ? "1" : "0")
        + (p.namespaceNames().isEmpty() ? "1" : "0")
        + (p.namespaceAffinity() == null ? "1" : "0")
        + (p.multusNames().isEmpty() ? "1" : "0");
  }

  /** Up to 12 pools, each with a random subset of the six specificity features. */
  private static List<PoolView> pools(Random random) {
    List<PoolView> out = new ArrayList<>();
    for (int i = random.nextInt(13) - 1; i >= 0; i--) {
      out.add(withFeatures(pool("p" + i, IpFamily.V4), random.nextInt(64)).build());
    }
    return out;
  }

  private static PoolView.Builder withFeatures(PoolView.Builder p, int bits) {
    if ((bits & 1) != 0) {
      p.podAffinity(selector("app", "web"));
    }
    if ((bits & 2) != 0) {
      p.nodeNames(List.of("node-1"));
    }
    if ((bits & 4) != 0) {
      p.nodeAffinity(selector("zone", "z1"));
    }
    if ((bits & 8) != 0) {
      p.namespaceNames(List.of("default"));
    }
    if ((bits & 16) != 0) {
      p.namespaceAffinity(selector("team", "a"));
    }
    if ((bits & 32) != 0) {
      p.multusNames(List.of("m"));
    }
    return p;
  }
}
