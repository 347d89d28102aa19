// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodLivenessTest {

  @ParameterizedTest(name = "terminating={0} phase={1} restart={2} reason={3} -> {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        "false, Running,   Always,    -,       true",
        "false, Pending,   Never,     -,       true",
        "false, -,         -,         -,       true",
        "true,  Running,   Always,    -,       false",
        "true,  Pending,   Always,    -,       false",
        "false, Succeeded, Always,    -,       true",
        "false, Succeeded, -,         -,       true",
        "false, Succeeded, OnFailure, -,       false",
        "false, Succeeded, Never,     -,       false",
        "false, Failed,    Never,     -,       false",
        "false, Failed,    OnFailure, -,       true",
        "false, Failed,    Always,    -,       true",
        "false, Failed,    Always,    Evicted, false",
        "false, Unknown,   Never,     -,       true",
      })
  void spiderpoolsRule(
      boolean terminating, String phase, String restartPolicy, String reason, boolean alive) {
    assertThat(PodLiveness.alive(terminating, phase, restartPolicy, reason)).isEqualTo(alive);
  }
}
