// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.spiderpool.cni.CniEntry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code spiderpool cni}: the CNI plugin entry for people and scripts. It runs exactly what a
 * runtime's argument-less invocation runs (CNI_* variables from the environment, network
 * configuration on stdin, result on stdout).
 */
@Command(
    name = "cni",
    mixinStandardHelpOptions = true,
    description = {
      "Act as the CNI IPAM plugin (what a container runtime runs).",
      "CNI_COMMAND and the other CNI_* variables come from the environment, the network",
      "configuration from stdin; the result goes to stdout.",
      "Container runtimes call the binary with no arguments instead, which skips this front end."
    })
public class CniCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return CniEntry.runFromProcess();
  }
}
