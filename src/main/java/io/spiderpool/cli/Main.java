// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.spiderpool.cni.CniEntry;
import io.spiderpool.daemon.KubeClientFactory;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * The one executable. The mode is chosen from argv <em>before</em> Quarkus boots: a container
 * runtime calls a CNI plugin with no arguments and {@code CNI_COMMAND} in the environment, and that
 * call must not pay for booting Quarkus (0.7–1.5 s here against ~0.05 s for a bare JVM), so it goes
 * straight to a JDK-only entry. Everything else boots Quarkus and runs picocli.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

  @Inject CommandLine.IFactory factory;

  public static void main(String... args) {
    if (EntryMode.of(args, System.getenv()) == EntryMode.KUBELET_CNI) {
      System.exit(CniEntry.runFromProcess());
      return;
    }
    if (args.length > 0 && (args[0].equals("daemon") || args[0].equals("controller"))) {
      // a long-running service: keep Quarkus' start-up and shutdown lines (the CLI hides them)
      System.setProperty("quarkus.log.category.\"io.quarkus\".level", "INFO");
      KubeClientFactory.configureBeforeBoot(args);
    }
    Quarkus.run(Main.class, args);
  }

  @Override
  public int run(String... args) {
    return new CommandLine(SpiderpoolCommand.class, factory)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
  }
}
