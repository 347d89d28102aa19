// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The operator commands that need no cluster, run as the executable runs every operator command:
 * picocli without Quarkus ({@link Main#commandLineWithoutQuarkus()}); the cluster-facing ones are
 * in {@code OperatorCommandsIT}.
 */
class OperatorCommandLineTest {

  record Run(int exit, String out, String err) {}

  static Run spiderpool(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLineWithoutQuarkus()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void operatorCommandsAreTheOnesRoutedPastQuarkus() {
    assertThat(Main.OPERATOR_COMMANDS).containsExactlyInAnyOrder("ip", "pool", "check", "gc");
  }

  @Test
  void poolPlanShowsTheNextAddressesLowestFirst() {
    Run r =
        spiderpool(
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
            "3");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("totalIPCount:  10")
        .contains("next 3 free:   172.18.40.13 172.18.40.14 172.18.40.15");
  }

  @Test
  void poolPlanRejectsANonCanonicalSubnetWithTheFix() {
    Run r = spiderpool("pool", "plan", "--subnet", "fd00::5/64");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains("invalid pool: spec.subnet: fd00::5/64 is not canonical: write fd00::/64");
  }

  @Test
  void poolPlanRejectsAGatewayInsideIps() {
    Run r =
        spiderpool(
            "pool",
            "plan",
            "--subnet",
            "10.0.0.0/24",
            "--ips",
            "10.0.0.1-10.0.0.9",
            "--gateway",
            "10.0.0.1");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("spec.gateway: 10.0.0.1 is inside spec.ips");
  }

  @Test
  void aGroupWithoutSubcommandIsAUsageError() {
    Run r = spiderpool("ip");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("a subcommand is required: show, allocate or release");
  }

  @Test
  void anUnknownOutputFormatIsAUsageErrorNamingTheChoices() {
    Run r = spiderpool("pool", "list", "-o", "wide");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("table, json, yaml");
  }

  @Test
  void gcRunRefusesABadTimeoutBeforeConnecting() {
    Run r = spiderpool("gc", "run", "--timeout", "soon", "--kubeconfig", "/dev/null");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--timeout");
  }

  @Test
  void allocateNeedsNamespaceAndName() {
    Run r =
        spiderpool("ip", "allocate", "--pod", "web-0", "--pool", "p", "--kubeconfig", "/dev/null");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--pod takes NAMESPACE/NAME");
  }
}
