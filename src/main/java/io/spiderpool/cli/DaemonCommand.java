// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code spiderpool daemon}. */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run the node daemon: IPAM API on a unix socket, health and metrics, admission webhooks; campaigns for the controller role.")
public class DaemonCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return Unavailable.fail("'spiderpool daemon'");
  }
}
