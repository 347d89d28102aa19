// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.io.IOException;

/**
 * The request could not be handed to the daemon at all — the spool is full or not writable — so no
 * daemon has seen it. Answered as an I/O failure (code 5) rather than "daemon unreachable": the
 * daemon may be fine, the file system holding the spool is not (docs/reliability.md).
 */
final class RequestNotDelivered extends IOException {
  private static final long serialVersionUID = 1L;

  RequestNotDelivered(String message) {
    super(message);
  }
}
