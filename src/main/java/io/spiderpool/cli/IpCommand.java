// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code spiderpool ip}. */
@Command(
    name = "ip",
    mixinStandardHelpOptions = true,
    description = "Allocate, release or show an IP address by hand.")
public class IpCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return Unavailable.fail("'spiderpool ip'");
  }
}
