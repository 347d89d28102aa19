// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.annotation.IpNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoPoolSizeTest {

  @ParameterizedTest(name = "parallelism={0} completions={1} -> {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-,  -,  1",
        "3,  -,  3",
        "0,  -,  1",
        "-,  4,  4",
        "-,  0,  1",
        "2,  5,  5",
        "5,  2,  2",
        "2,  0,  1",
      })
  void jobsCountCompletionsElseParallelismElseOne(
      Integer parallelism, Integer completions, int pods) {
    assertThat(AutoPoolSize.ofJob(parallelism, completions)).isEqualTo(pods);
  }

  @ParameterizedTest(name = "replicas={0} -> {1}")
  @CsvSource(
      nullValues = "-",
      value = {"-, 0", "0, 0", "3, 3", "-2, 0"})
  void replicasUnsetCountZero(Integer replicas, int count) {
    assertThat(AutoPoolSize.ofReplicas(replicas)).isEqualTo(count);
    assertThat(AutoPoolSize.ofDaemonSet(replicas)).isEqualTo(count);
  }

  @ParameterizedTest(name = "{0} with {1} replicas -> {2}")
  @CsvSource({
    "+0, 0,  0",
    "+0, 3,  3",
    "+1, 3,  4",
    "+2, 10, 12",
    "5,  0,  5",
    "5,  10, 5",
    "0,  7,  0",
  })
  void flexibleAddsTheReplicasFixedDoesNot(String number, int replicas, int desired) {
    assertThat(AutoPoolSize.desired(IpNumber.parse(number), replicas)).isEqualTo(desired);
  }

  @Test
  void aHugeFlexibleSizeSaturates() {
    assertThat(AutoPoolSize.desired(IpNumber.flexible(Integer.MAX_VALUE), 10))
        .isEqualTo(Integer.MAX_VALUE);
  }
}
