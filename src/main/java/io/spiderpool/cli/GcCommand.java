// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code spiderpool gc}. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = "Trigger an IP garbage-collection scan.")
public class GcCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return Unavailable.fail("'spiderpool gc'");
  }
}
