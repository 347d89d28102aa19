// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.error;

/**
 * A batch release of conflicting IPs that policy forbids; {@code code} is the agent API status
 * Spiderpool uses: 521 (releasing conflict IPs is disabled) or 522 (stateful workload).
 */
public class ReleaseForbiddenException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public ReleaseForbiddenException(int code, String message) {
    super(message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
