// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

/**
 * An operator command that cannot do what was asked, with a message that says why and what to do
 * instead; {@link #reason()} decides the exit status (docs/cli.md#exit-codes).
 */
public final class OperatorError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the command stopped. */
  public enum Reason {
    /** The state forbids it (live Pod, taken, reserved or excluded address, changed meanwhile). */
    REFUSED,
    /** The named pool, Pod or address is not there. */
    NOT_FOUND,
    /** The arguments do not describe a possible request. */
    BAD_REQUEST
  }

  private final Reason reason;

  public OperatorError(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static OperatorError refused(String message) {
    return new OperatorError(Reason.REFUSED, message);
  }

  static OperatorError notFound(String message) {
    return new OperatorError(Reason.NOT_FOUND, message);
  }

  static OperatorError badRequest(String message) {
    return new OperatorError(Reason.BAD_REQUEST, message);
  }
}
