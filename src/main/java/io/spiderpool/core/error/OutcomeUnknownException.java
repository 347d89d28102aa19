// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.error;

/**
 * A write was sent and no answer says whether it was applied: the connection broke after the
 * request left, the client timed out, or the API server answered 5xx (etcd did not confirm in
 * time). The write may still land, so the caller must not undo what it did before it — an ADD keeps
 * the addresses it recorded for the Pod, and its retry (or the GC, once the Pod is gone) settles
 * them (docs/architecture.md, invariant 3). Transient like its parent: CNI code 11.
 */
public class OutcomeUnknownException extends TransientException {
  private static final long serialVersionUID = 1L;

  public OutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
