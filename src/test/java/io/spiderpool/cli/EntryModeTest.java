// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryModeTest {
  @Test
  void runtimeInvocationWithoutArgumentsIsTheCniPath() {
    assertThat(EntryMode.of(new String[0], Map.of("CNI_COMMAND", "ADD")))
        .isEqualTo(EntryMode.KUBELET_CNI);
  }

  @Test
  void anySubcommandGoesToTheCommandLineEvenInsideACniEnvironment() {
    assertThat(EntryMode.of(new String[] {"version"}, Map.of("CNI_COMMAND", "ADD")))
        .isEqualTo(EntryMode.COMMAND_LINE);
  }

  @Test
  void noArgumentsAndNoCniCommandIsTheCommandLine() {
    assertThat(EntryMode.of(new String[0], Map.of())).isEqualTo(EntryMode.COMMAND_LINE);
    assertThat(EntryMode.of(new String[0], Map.of("CNI_COMMAND", "")))
        .isEqualTo(EntryMode.COMMAND_LINE);
  }
}
