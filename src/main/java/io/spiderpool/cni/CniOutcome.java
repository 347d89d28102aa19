// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.nio.charset.StandardCharsets;

/**
 * What one plugin call produces: the exact bytes for stdout, the exit status, and a line for the
 * plugin's log file when the plugin answered an error itself (null otherwise; the daemon logs every
 * call it serves).
 */
public record CniOutcome(int exitStatus, byte[] stdout, String logLine) {

  /** A local answer with no log line. */
  static CniOutcome ok(String json) {
    return new CniOutcome(0, json.concat("\n").getBytes(StandardCharsets.UTF_8), null);
  }

  /** The stdout bytes as text (tests, logs). */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }
}
