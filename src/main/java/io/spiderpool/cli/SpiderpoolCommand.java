// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import picocli.CommandLine.Command;

/** The top-level command: every mode of the one executable is a subcommand. */
@Command(
    name = "spiderpool",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Kubernetes IPAM for underlay networks, compatible with Spiderpool.",
    subcommands = {
      CniCommand.class,
      DaemonCommand.class,
      ControllerCommand.class,
      InitCommand.class,
      IpCommand.class,
      PoolCommand.class,
      GcCommand.class,
      CheckCommand.class,
      VersionCommand.class
    })
public class SpiderpoolCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required");
  }
}
