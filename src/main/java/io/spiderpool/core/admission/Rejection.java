// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

/**
 * A request the webhook refuses, with the HTTP-style code of the {@code Status} it answers: {@link
 * #INVALID} (422) for a spec that must be changed, {@link #FORBIDDEN} (403) for an operation that
 * is refused as such (deleting a pool in use, updating a terminating one). The message says what to
 * change.
 */
public final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int INVALID = 422;
  public static final int FORBIDDEN = 403;

  private final int code;

  public Rejection(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static Rejection invalid(String message) {
    return new Rejection(INVALID, message);
  }

  static Rejection forbidden(String message) {
    return new Rejection(FORBIDDEN, message);
  }

  public int code() {
    return code;
  }
}
