// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.spiderpool.BuildInfo;
import org.junit.jupiter.api.Test;

/**
 * The command tree as an operator meets it, run in-JVM with Quarkus booted. The operator commands
 * (ip, pool, check, gc) run without Quarkus: {@link OperatorCommandLineTest}.
 */
@QuarkusMainTest
class SpiderpoolCommandTest {

  @Test
  @Launch("version")
  void versionNamesBuildAndCniVersions(LaunchResult result) {
    assertThat(result.getOutput())
        .contains("spiderpool " + BuildInfo.version())
        .contains("CNI spec versions: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
  }

  @Test
  @Launch(value = {"daemon", "--help"})
  void laterModesExistWithHelp(LaunchResult result) {
    assertThat(result.getOutput()).contains("Usage: spiderpool daemon");
  }

  @Test
  @Launch(
      value = {},
      exitCode = 2)
  void noSubcommandIsAUsageError(LaunchResult result) {
    assertThat(result.getErrorOutput()).contains("a subcommand is required").contains("Commands:");
  }
}
