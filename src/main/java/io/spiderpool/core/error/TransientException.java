// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.error;

/**
 * A failure that may go away by itself: the API server is unreachable, compare-and-set retries were
 * exhausted under contention, a cache is not synced yet. The CNI layer maps it to code 11 ("try
 * again later"); nothing was left half-written.
 */
public class TransientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransientException(String message) {
    super(message);
  }

  public TransientException(String message, Throwable cause) {
    super(message, cause);
  }
}
