// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.wire.CniFailure;
import io.spiderpool.wire.CniSpec;

/**
 * A failure that already carries its CNI spec code; {@link #of} maps every other failure exactly
 * once, so a typed error is never wrapped a second time (docs/architecture.md).
 */
public final class CniError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String details;

  public CniError(int code, String msg, String details) {
    super(msg);
    this.code = code;
    this.details = details == null ? "" : details;
  }

  /** A failure the shared call rules found ({@link io.spiderpool.wire.CniCallRules}). */
  public CniError(CniFailure failure) {
    this(failure.code(), failure.msg(), failure.details());
  }

  public int code() {
    return code;
  }

  public String details() {
    return details;
  }

  /**
   * The CNI error for a failure of the engine or of this layer. Invalid input (a bad annotation or
   * config value) is 7, "invalid network config": the operator must change something. No pool or an
   * exhausted pool is 999 with the engine's message, because the spec has no code for it and the
   * message names the pools. Transient failures are 11 so the runtime retries.
   */
  public static CniError of(Throwable t) {
    if (t instanceof CniError e) {
      return e;
    }
    if (t instanceof InvalidInputException) {
      return new CniError(CniSpec.INVALID_CONFIG, t.getMessage(), "");
    }
    if (t instanceof NoPoolAvailableException || t instanceof PoolExhaustedException) {
      return new CniError(CniSpec.INTERNAL, t.getMessage(), "");
    }
    if (t instanceof TransientException) {
      return new CniError(CniSpec.TRY_AGAIN_LATER, t.getMessage(), "");
    }
    return new CniError(
        CniSpec.INTERNAL,
        "internal error in the spiderpool daemon",
        t.getClass().getName() + ": " + t.getMessage());
  }
}
