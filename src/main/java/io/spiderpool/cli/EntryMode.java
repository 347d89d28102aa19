// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.Map;

/** How the process was invoked; decided from argv and the environment alone. */
public enum EntryMode {
  /** Invoked as a CNI plugin by a runtime: no arguments, {@code CNI_COMMAND} set. */
  KUBELET_CNI,
  /** Any subcommand, or no arguments outside a CNI call: the picocli front end. */
  COMMAND_LINE;

  /** Selects the mode; never touches anything but its arguments. */
  public static EntryMode of(String[] args, Map<String, String> env) {
    String command = env.get("CNI_COMMAND");
    boolean noSubcommand = args.length == 0;
    return noSubcommand && command != null && !command.isEmpty() ? KUBELET_CNI : COMMAND_LINE;
  }
}
