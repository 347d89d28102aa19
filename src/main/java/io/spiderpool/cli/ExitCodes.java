// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

/** The exit statuses of the operator commands (docs/cli.md#exit-codes). */
final class ExitCodes {
  /** Done; for {@code check}: nothing inconsistent (left). */
  static final int OK = 0;

  /** {@code check} found inconsistencies ({@code --fix}: some are left). */
  static final int INCONSISTENT = 1;

  /** Bad command line or an impossible request (picocli's usage error is 2, too). */
  static final int USAGE = 2;

  /** The state forbids it: a live Pod's address, a taken, reserved or excluded address, ... */
  static final int REFUSED = 4;

  /** The named pool, Pod or address does not exist. */
  static final int NOT_FOUND = 5;

  /** The API server cannot be reached or answered with an error. */
  static final int CLUSTER = 6;

  /** {@code gc run}: the controller role did not serve the request in time. */
  static final int TIMEOUT = 7;

  private ExitCodes() {}
}
