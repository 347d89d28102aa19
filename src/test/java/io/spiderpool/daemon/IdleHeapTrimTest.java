// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the idle trim collects: after growth, once quiet, once per growth. */
class IdleHeapTrimTest {
  private static final long MIB = 1L << 20;

  @Test
  void collectsOnceAfterStartUpWhenTheOldGenerationStopsChanging() {
    IdleHeapTrim.Policy p = new IdleHeapTrim.Policy(4 * MIB, 3);
    assertThat(p.observe(20 * MIB)).isFalse(); // first sight
    assertThat(p.observe(30 * MIB)).isFalse(); // still growing: the start-up lists
    assertThat(p.observe(41 * MIB)).isFalse();
    assertThat(p.observe(41 * MIB)).isFalse(); // quiet 1
    assertThat(p.observe(41 * MIB)).isFalse(); // quiet 2
    assertThat(p.observe(41 * MIB)).isTrue(); // quiet 3: collect
    p.collected(29 * MIB);
    for (int i = 0; i < 10; i++) {
      assertThat(p.observe(29 * MIB)).as("quiet after the collection, check %d", i).isFalse();
    }
  }

  @Test
  void growthBelowTheThresholdNeverCollectsAgain() {
    IdleHeapTrim.Policy p = new IdleHeapTrim.Policy(4 * MIB, 2);
    p.collected(29 * MIB);
    assertThat(p.observe(32 * MIB)).isFalse();
    for (int i = 0; i < 10; i++) {
      assertThat(p.observe(32 * MIB)).isFalse(); // 3 MiB over what the last one left
    }
    assertThat(p.observe(34 * MIB)).isFalse(); // a burst: 5 MiB over
    assertThat(p.observe(34 * MIB)).isFalse();
    assertThat(p.observe(34 * MIB)).isTrue();
  }

  @Test
  void aCollectionThatGaveNothingBackIsNotRepeated() {
    IdleHeapTrim.Policy p = new IdleHeapTrim.Policy(4 * MIB, 1);
    assertThat(p.observe(41 * MIB)).isFalse();
    assertThat(p.observe(41 * MIB)).isTrue();
    p.collected(41 * MIB); // e.g. -XX:+DisableExplicitGC, or nothing was free
    for (int i = 0; i < 10; i++) {
      assertThat(p.observe(41 * MIB)).isFalse();
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new IdleHeapTrim.Policy(-1, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdleHeapTrim.Policy(MIB, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runsOnlyUnderSerialGc() {
    boolean serial =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .anyMatch(pool -> pool.getName().equals("Tenured Gen"));
    try (IdleHeapTrim trim =
        IdleHeapTrim.start(Duration.ofHours(1), new IdleHeapTrim.Policy(1, 1))) {
      assertThat(trim.active()).isEqualTo(serial);
    }
  }
}
