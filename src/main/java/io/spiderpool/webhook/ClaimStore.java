// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import java.util.Map;

/** The coordination object holding the claims ({@link io.spiderpool.core.admission.ClaimBook}). */
public interface ClaimStore {

  /** The claims as read, with the version a write must be based on (null: object absent). */
  record Snapshot(Map<String, String> data, String version) {
    public Snapshot {
      data = data == null ? Map.of() : Map.copyOf(data);
    }
  }

  Snapshot read();

  /** Replaces the data if nobody wrote since {@code basis}; false when someone did (409). */
  boolean replace(Snapshot basis, Map<String, String> data);
}
