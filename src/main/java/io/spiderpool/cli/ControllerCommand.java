// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code spiderpool controller}. */
@Command(name = "controller", mixinStandardHelpOptions = true, description = "Run only the leader-elected controller role (IP GC, pool status, finalizers).")
public class ControllerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return Unavailable.fail("'spiderpool controller'");
  }
}
