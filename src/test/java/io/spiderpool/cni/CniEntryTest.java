// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CniEntryTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int run(Map<String, String> env) {
    return CniEntry.run(env, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void versionIsAnsweredLocallyWithEverySupportedSpecVersion() {
    assertThat(run(Map.of("CNI_COMMAND", "VERSION"))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo(
        "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
  }

  @ParameterizedTest
  @CsvSource({"ADD", "DEL", "CHECK", "GC", "STATUS"})
  void verbsThatNeedTheDaemonAnswerTryAgainLater(String verb) {
    assertThat(run(Map.of("CNI_COMMAND", verb))).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("{\"cniVersion\":\"1.1.0\",\"code\":11,")
        .contains("CNI " + verb + " cannot be served");
  }
}
