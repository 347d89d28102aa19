// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code spiderpool pool}: pool inspection and planning. */
@Command(
    name = "pool",
    mixinStandardHelpOptions = true,
    description = "Show pool usage (needs a cluster) or plan a pool's address space offline.",
    subcommands = {PoolPlanCommand.class})
public class PoolCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return Unavailable.fail("'spiderpool pool' without a subcommand (cluster usage view)");
  }
}
