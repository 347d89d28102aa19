// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.spiderpool.BuildInfo;
import org.junit.jupiter.api.Test;

/** The command tree as an operator meets it, run in-JVM with Quarkus booted. */
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
  @Launch({
    "pool",
    "plan",
    "--subnet",
    "172.18.40.0/24",
    "--ips",
    "172.18.40.10-172.18.40.20",
    "--exclude",
    "172.18.40.11",
    "--gateway",
    "172.18.40.1",
    "--allocated",
    "172.18.40.10,172.18.40.12",
    "--next",
    "3"
  })
  void poolPlanShowsTheNextAddressesLowestFirst(LaunchResult result) {
    assertThat(result.getOutput())
        .contains("totalIPCount:  10")
        .contains("next 3 free:   172.18.40.13 172.18.40.14 172.18.40.15");
  }

  @Test
  @Launch(
      value = {"pool", "plan", "--subnet", "fd00::5/64"},
      exitCode = 1)
  void poolPlanRejectsANonCanonicalSubnetWithTheFix(LaunchResult result) {
    assertThat(result.getErrorOutput())
        .contains("invalid pool: spec.subnet: fd00::5/64 is not canonical: write fd00::/64");
  }

  @Test
  @Launch(
      value = {
        "pool",
        "plan",
        "--subnet",
        "10.0.0.0/24",
        "--ips",
        "10.0.0.1-10.0.0.9",
        "--gateway",
        "10.0.0.1"
      },
      exitCode = 1)
  void poolPlanRejectsAGatewayInsideIps(LaunchResult result) {
    assertThat(result.getErrorOutput()).contains("spec.gateway: 10.0.0.1 is inside spec.ips");
  }

  @Test
  @Launch(value = {"daemon", "--help"})
  void laterModesExistWithHelp(LaunchResult result) {
    assertThat(result.getOutput()).contains("Usage: spiderpool daemon");
  }

  @Test
  @Launch(
      value = {"gc"},
      exitCode = 3)
  void laterModesFailLoudlyWhenRun(LaunchResult result) {
    assertThat(result.getErrorOutput())
        .contains("'spiderpool gc' is not available in this build yet");
  }

  @Test
  @Launch(
      value = {},
      exitCode = 2)
  void noSubcommandIsAUsageError(LaunchResult result) {
    assertThat(result.getErrorOutput()).contains("a subcommand is required").contains("Commands:");
  }
}
