// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.spiderpool.cni.CniEntry;
import io.spiderpool.daemon.KubeClientFactory;
import jakarta.inject.Inject;
import java.util.Set;
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
    if (args.length > 0 && OPERATOR_COMMANDS.contains(args[0])) {
      System.exit(runWithoutQuarkus(args));
      return;
    }
    if (args.length > 0 && (args[0].equals("daemon") || args[0].equals("controller"))) {
      // a long-running service: keep Quarkus' start-up and shutdown lines (the CLI hides them)
      System.setProperty("quarkus.log.category.\"io.quarkus\".level", "INFO");
      KubeClientFactory.configureBeforeBoot(args);
    }
    Quarkus.run(Main.class, args);
  }

  /**
   * The operator's commands (docs/cli.md) build their own Kubernetes client and need no CDI bean:
   * they run without booting Quarkus, which is most of a command's start-up (docs/cli.md#start-up).
   */
  static final Set<String> OPERATOR_COMMANDS = Set.of("ip", "pool", "check", "gc");

  /** Runs {@code args} on the command tree with picocli's own factory, no Quarkus. */
  static int runWithoutQuarkus(String... args) {
    return commandLineWithoutQuarkus().execute(args);
  }

  /** The command tree with picocli's own factory (no CDI injection): for the operator commands. */
  static CommandLine commandLineWithoutQuarkus() {
    return new CommandLine(SpiderpoolCommand.class).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public int run(String... args) {
    return new CommandLine(SpiderpoolCommand.class, factory)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
  }
}
