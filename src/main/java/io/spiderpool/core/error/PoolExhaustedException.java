// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.error;

/**
 * Every candidate pool of a NIC and family is full (or at its record cap). The message starts with
 * Spiderpool's {@code all IP addresses used out} and names the pools. Retrying helps only after
 * addresses are released.
 */
public class PoolExhaustedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PoolExhaustedException(String message) {
    super(message);
  }
}
