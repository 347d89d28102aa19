// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.error;

/**
 * The caller gave input that can never succeed as written: a malformed address, range, CIDR,
 * annotation or configuration value. The message names the bad value and says what a valid one
 * looks like; it is meant to reach the operator unchanged (pod events, webhook responses, CLI).
 * Retrying does not help.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Prefixes the message with where the bad value was found, e.g. an annotation key. */
  public InvalidInputException in(String where) {
    return new InvalidInputException(where + ": " + getMessage(), this);
  }
}
