// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.spiderpool.BuildInfo;

/**
 * For subcommands whose behaviour arrives in a later release: they exist so that scripts and {@code
 * --help} see the final command tree, and running one fails loudly instead of doing nothing.
 */
final class Unavailable {
  /** Exit status for "not available in this build" (picocli's usage error is 2). */
  static final int EXIT = 3;

  private Unavailable() {}

  static int fail(String what) {
    System.err.println(
        "spiderpool "
            + BuildInfo.version()
            + ": "
            + what
            + " is not available in this build yet; see docs/roadmap.md");
    return EXIT;
  }
}
