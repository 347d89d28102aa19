// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.error;

/**
 * No pool can serve the request: no selection rule names any pool, or every candidate pool of a NIC
 * and family was filtered out (disabled, terminating, affinity...). The message starts with
 * Spiderpool's {@code no IPPool available} and gives each pool's reason. Retrying the same Pod will
 * not help until pools or the Pod change; the caller reports it, as Spiderpool's no-available-pool
 * counter does.
 */
public class NoPoolAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoPoolAvailableException(String message) {
    super(message);
  }
}
